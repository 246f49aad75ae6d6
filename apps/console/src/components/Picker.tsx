import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';

export interface PickerOption {
  value: string;
  label: string;
  /** Where it sits in its tree («Министерство здравоохранения › ГБУ …»), searched and shown under the label. */
  path?: string;
  group?: string;
}

interface Props {
  label: string;
  options: PickerOption[];
  value: string | null;
  onChange: (value: string | null) => void;
  placeholder?: string;
  /** Shown when nothing is chosen, e.g. «все». */
  emptyLabel?: string;
  id?: string;
  inputRef?: React.Ref<HTMLInputElement>;
  error?: string;
}

const LIMIT = 60;

/**
 * A type-ahead over a long list (383 categories, 87 organizations): type any part of a name or of
 * its place in the tree, pick with the arrows and Enter. Esc closes the list only, not what holds it.
 */
export function Picker({ label, options, value, onChange, placeholder, emptyLabel = 'все', id, inputRef, error }: Props) {
  const listId = useId();
  const ownId = useId();
  const inputId = id ?? ownId;
  const [text, setText] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const chosen = options.find((o) => o.value === value) ?? null;
  const blurTimer = useRef<number | undefined>(undefined);

  const matches = useMemo(() => {
    const words = (text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const hits = words.length ? options.filter((o) => words.every((w) => `${o.label} ${o.path ?? ''} ${o.value}`.toLowerCase().includes(w))) : options;
    return hits.slice(0, LIMIT);
  }, [options, text]);

  const pick = (option: PickerOption | null) => {
    onChange(option?.value ?? null);
    setText(null);
    setOpen(false);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, matches.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      if (open && matches[active]) {
        e.preventDefault();
        e.stopPropagation();
        pick(matches[active]);
      }
    } else if (e.key === 'Escape') {
      if (open || text !== null) {
        e.preventDefault();
        e.stopPropagation();
        setOpen(false);
        setText(null);
      }
    }
  };

  return (
    <div className={`picker${error ? ' invalid' : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <div className="picker-box">
        <input
          id={inputId}
          ref={inputRef}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && matches[active] ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          autoComplete="off"
          placeholder={placeholder ?? emptyLabel}
          value={text ?? chosen?.label ?? ''}
          title={chosen?.path ?? chosen?.label}
          onChange={(e) => {
            setText(e.target.value);
            setOpen(true);
            setActive(0);
          }}
          onFocus={(e) => {
            e.target.select();
            setOpen(true);
          }}
          onBlur={() => {
            blurTimer.current = window.setTimeout(() => {
              setOpen(false);
              setText(null);
            }, 150);
          }}
          onKeyDown={onKey}
        />
        {value && (
          <button type="button" className="clear" aria-label={`Очистить: ${label}`} onClick={() => pick(null)}>
            ×
          </button>
        )}
      </div>
      {open && (
        <ul id={listId} role="listbox" className="picker-list" aria-label={label} onMouseDown={(e) => e.preventDefault()}>
          {matches.length === 0 && <li className="muted">Ничего не найдено</li>}
          {matches.map((o, i) => (
            <li key={o.value} id={`${listId}-${i}`} role="option" aria-selected={i === active} className={i === active ? 'active' : ''} onClick={() => pick(o)}>
              <span>{o.label}</span>
              {(o.path || o.group) && <small className="muted">{o.path ?? o.group}</small>}
            </li>
          ))}
        </ul>
      )}
      {error && <p className="field-error">{error}</p>}
    </div>
  );
}
