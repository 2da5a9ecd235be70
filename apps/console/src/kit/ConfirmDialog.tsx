import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorText } from '../lib/api.ts';
import { common, useStrings } from '../lib/i18n.ts';
import { Button } from './Button.tsx';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  /** Red confirm button, for destructive actions. */
  danger?: boolean;
  /** The word the person must type before the confirm button works (dangerous actions). */
  typeToConfirm?: string;
  /** May be async; a thrown error is shown in the dialog and it stays open. */
  onConfirm: () => unknown;
  onCancel: () => void;
}

/** A modal confirmation (native <dialog>): Escape or Cancel closes, Confirm runs `onConfirm`. */
export function ConfirmDialog({ open, title, children, confirmLabel, danger, typeToConfirm, onConfirm, onCancel }: ConfirmDialogProps) {
  const t = useStrings(common);
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setTyped('');
      setError(undefined);
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open]);
  const ready = !typeToConfirm || typed.trim() === typeToConfirm;
  async function confirm() {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} onCancel={(e) => (e.preventDefault(), onCancel())}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div className="dialog-body">{children}</div>
      {typeToConfirm ? (
        <div className="field">
          <label htmlFor={`${id}-type`}>{t('typeToConfirm', { word: typeToConfirm })}</label>
          <input id={`${id}-type`} value={typed} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
        </div>
      ) : null}
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      <div className="dialog-actions">
        <Button onClick={onCancel}>{t('cancel')}</Button>
        <Button variant={danger ? 'danger' : 'primary'} disabled={!ready} busy={busy} onClick={() => void confirm()}>
          {confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
