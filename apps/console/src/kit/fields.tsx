import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

/**
 * Form fields: a label, the control, a hint, and an inline validation message (`error`), wired with
 * aria-invalid / aria-describedby. Controlled: pass `value` and `onChange(value)`.
 */
interface FieldBase {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
}

function Field({ id, label, hint, error, required, children }: FieldBase & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="req" aria-hidden="true"> *</span> : null}
      </label>
      {children}
      {hint ? <p className="hint" id={`${id}-hint`}>{hint}</p> : null}
      {error ? <p className="field-error" id={`${id}-error`} role="alert">{error}</p> : null}
    </div>
  );
}

const describedBy = (id: string, f: FieldBase) => [f.hint ? `${id}-hint` : '', f.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

type Native<E> = Omit<E, 'value' | 'onChange' | 'id'>;

export function TextField({ label, hint, error, required, value, onChange, ...rest }: FieldBase & Native<InputHTMLAttributes<HTMLInputElement>> & { value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required ?? false}>
      <input {...rest} id={id} value={value} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, { label, hint, error })} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

export function TextareaField({ label, hint, error, required, value, onChange, ...rest }: FieldBase & Native<TextareaHTMLAttributes<HTMLTextAreaElement>> & { value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required ?? false}>
      <textarea {...rest} id={id} value={value} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, { label, hint, error })} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

/** A number; `value` is undefined while the box is empty. */
export function NumberField({ label, hint, error, required, value, onChange, ...rest }: FieldBase & Native<InputHTMLAttributes<HTMLInputElement>> & { value: number | undefined; onChange: (v: number | undefined) => void }) {
  const id = useId();
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required ?? false}>
      <input
        {...rest}
        id={id}
        type="number"
        inputMode="decimal"
        value={value ?? ''}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, { label, hint, error })}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    </Field>
  );
}

export function SelectField<V extends string>({ label, hint, error, required, value, onChange, options, ...rest }: FieldBase & Native<SelectHTMLAttributes<HTMLSelectElement>> & { value: V; onChange: (v: V) => void; options: readonly { value: V; label: string }[] }) {
  const id = useId();
  return (
    <Field id={id} label={label} hint={hint} error={error} required={required ?? false}>
      <select {...rest} id={id} value={value} required={required} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, { label, hint, error })} onChange={(e) => onChange(e.target.value as V)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** An on/off switch (a checkbox with role="switch"). */
export function Switch({ label, checked, onChange, disabled, hint }: { label: string; checked: boolean; onChange: (v: boolean) => void; disabled?: boolean; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="field switch-field">
      <label htmlFor={id} className="switch">
        <input id={id} type="checkbox" role="switch" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
        <span className="switch-track" aria-hidden="true" />
        {label}
      </label>
      {hint ? <p className="hint">{hint}</p> : null}
    </div>
  );
}

/** Field-level messages from a zod-like check: returns `{field: message}` for the failing fields. */
export type FieldErrors<K extends string> = Partial<Record<K, string>>;
export const hasErrors = (e: Partial<Record<string, string>>) => Object.values(e).some(Boolean);
