import { useState, type ReactNode } from 'react';
import { errorText } from '../lib/api.ts';
import { common, useStrings } from '../lib/i18n.ts';
import { Button } from './Button.tsx';

/**
 * Runs a save while `busy` is true (the Save button shows progress); a failure's message goes to
 * `onError` (usually the field the save is about).
 */
export function useSave(onError: (message: string) => void): { busy: boolean; run: (job: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  async function run(job: () => Promise<void>) {
    setBusy(true);
    try {
      await job();
    } catch (err) {
      onError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  return { busy, run };
}

/** A settings form: its fields, then one primary Save button; `onSubmit` validates and saves (see `useSave`). */
export function SaveForm({ busy, onSubmit, children }: { busy: boolean; onSubmit: () => void; children: ReactNode }) {
  const t = useStrings(common);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
      noValidate
      className="form-grid"
    >
      {children}
      <div>
        <Button type="submit" variant="primary" busy={busy}>
          {t('save')}
        </Button>
      </div>
    </form>
  );
}
