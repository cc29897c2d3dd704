import type { InputHTMLAttributes, ReactNode } from 'react';
import { isApiError } from '../api/client';

interface FieldProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  children: ReactNode;
}

/** Label, control, hint and inline error. The control wires itself with `describedBy(id, …)`. */
export function Field({ id, label, hint, error, required, children }: FieldProps) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && (
          <span className="required" aria-hidden="true">
            {' '}
            *
          </span>
        )}
      </label>
      {children}
      {hint && (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field-error" id={`${id}-error`} data-testid={`${id}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

interface TextFieldProps {
  /** Element id and test id of the input. */
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  required?: boolean;
  type?: string;
  inputMode?: InputHTMLAttributes<HTMLInputElement>['inputMode'];
  /** `off` unless said: these forms are filled for someone else or from a document. */
  autoComplete?: string;
  mono?: boolean;
  /** Further attributes of the input (placeholder, required…). */
  input?: Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange'>;
}

/** A one-line text input in its <Field>, wired to its hint and error. */
export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  required,
  type,
  inputMode,
  autoComplete,
  mono,
  input,
}: TextFieldProps) {
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required}>
      <input
        {...input}
        id={id}
        data-testid={id}
        type={type ?? 'text'}
        inputMode={inputMode}
        autoComplete={autoComplete ?? 'off'}
        className={mono ? 'mono' : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...describedBy(id, { hint: !!hint, error })}
      />
    </Field>
  );
}

/** aria attributes for a control inside <Field>. */
export function describedBy(id: string, opts: { hint?: boolean; error?: string }) {
  const ids = [opts.hint ? `${id}-hint` : null, opts.error ? `${id}-error` : null].filter(Boolean);
  return {
    'aria-describedby': ids.length ? ids.join(' ') : undefined,
    'aria-invalid': opts.error ? (true as const) : undefined,
  };
}

/** The server's message for one field of a failed request, if any. */
export function fieldError(error: unknown, field: string): string | undefined {
  return isApiError(error) ? error.fieldError(field) : undefined;
}
