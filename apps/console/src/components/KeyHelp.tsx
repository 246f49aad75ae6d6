import { useEffect, useRef } from 'react';
import { useKeys } from '../lib/keys';

const KEYS: [string, string][] = [
  ['j / ↓', 'следующее сообщение'],
  ['k / ↑', 'предыдущее сообщение'],
  ['Enter', 'открыть карточку'],
  ['1, 2, 3', 'выбрать предложенную категорию'],
  ['c', 'поле «Категория»'],
  ['o', 'поле «Организация»'],
  ['x', 'отметить сообщение'],
  ['/', 'поиск'],
  ['Esc', 'закрыть верхнее окно'],
  ['?', 'эта справка'],
];

/** The keyboard's help: a dialog over everything; Esc closes it and nothing else. */
export function KeyHelp({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useKeys({ Escape: onClose, '?': onClose }, { modal: true });
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="backdrop" onClick={onClose}>
      <div role="dialog" aria-modal="true" aria-labelledby="keys-title" className="dialog" onClick={(e) => e.stopPropagation()}>
        <h2 id="keys-title">Клавиши</h2>
        <dl className="keys">
          {KEYS.map(([key, what]) => (
            <div key={key}>
              <dt>
                <kbd>{key}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button ref={close} type="button" onClick={onClose}>
          Закрыть
        </button>
      </div>
    </div>
  );
}
