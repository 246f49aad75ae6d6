import type { ReactNode } from 'react';

/** A labelled input with the server's message for it beside it. */
export function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div className="d-field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** aria props of an input whose field may carry an error. */
export const invalid = (id: string, error?: string) => ({ id, 'aria-invalid': !!error, 'aria-describedby': error ? `${id}-error` : undefined });
