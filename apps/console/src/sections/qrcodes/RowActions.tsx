import { useState } from 'react';
import { Button, ConfirmDialog, useToast } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { pngUrl, qrApi, type QrCode } from './api.ts';
import { strings } from './strings.ts';

/** Download the PNG of a live code; disable it (with confirmation) or enable it again. */
export function RowActions({ accountId, code, label, onChanged }: { accountId: string; code: QrCode; label: string; onChanged: () => void }) {
  const s = useStrings(strings);
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  async function enable() {
    setBusy(true);
    try {
      await qrApi.setDisabled(accountId, code.ticket, false);
      toast(s('enabledToast'), 'success');
      onChanged();
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="actions">
      {!code.expired && !code.disabled ? (
        <a className="btn btn-secondary" href={pngUrl(code.ticket)} download={`${label}.png`} aria-label={s('downloadOf', { name: label })}>
          {s('download')}
        </a>
      ) : null}
      {code.disabled ? (
        <Button variant="ghost" busy={busy} aria-label={s('enableOf', { name: label })} onClick={() => void enable()}>
          {s('enable')}
        </Button>
      ) : code.expired ? null : (
        <Button variant="ghost" aria-label={s('disableOf', { name: label })} onClick={() => setConfirming(true)}>
          {s('disable')}
        </Button>
      )}
      <ConfirmDialog
        open={confirming}
        title={s('disableTitle', { name: label })}
        confirmLabel={s('disable')}
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={async () => {
          await qrApi.setDisabled(accountId, code.ticket, true);
          setConfirming(false);
          toast(s('disabledToast'), 'success');
          onChanged();
        }}
      >
        <p>{s('disableBody')}</p>
      </ConfirmDialog>
    </span>
  );
}
