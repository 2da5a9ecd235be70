import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../lib/api.ts';
import { onRealtimeEvent } from '../lib/realtime.ts';
import { TopBar } from '../ui.tsx';
import { payApi, type PayCode, type Sheet } from './api.ts';
import { Barcode, QrCode } from './Codes.tsx';
import { PaySheet } from './PaySheet.tsx';
import { usePayStrings } from './strings.ts';
import './pay.css';

/** A new code every 50 s (codes live a minute), and on demand. */
export const CODE_REFRESH_MS = 50_000;
/** While the page is open, pending confirmations are also polled (the socket may be reconnecting). */
const PENDING_POLL_MS = 5_000;

/** Groups of four digits for reading aloud; the barcode carries the digits as they are. */
const spaced = (code: string) => code.replace(/(.{4})(?=.)/g, '$1 ');

/**
 * `/pay/code`: the consumer's payment code as a Code 128 barcode and a QR code for a cashier to scan.
 * When the cashier's charge needs the PIN (a USERPAYING order), a confirmation sheet opens.
 */
export function PayCodePage() {
  const t = usePayStrings();
  const [code, setCode] = useState<PayCode | undefined>();
  const [error, setError] = useState('');
  const [pending, setPending] = useState<Sheet | null>(null);
  const [done, setDone] = useState('');
  const handled = useRef(new Set<string>());

  const refresh = useCallback(async () => {
    try {
      setCode(await payApi.newPayCode());
      setError('');
    } catch (e) {
      setError(errorText(e));
    }
  }, []);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), CODE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const checkPending = useCallback(async () => {
    const list = await payApi.pending().catch(() => [] as Sheet[]);
    const next = list.find((s) => s.orderId && !handled.current.has(s.orderId));
    if (next) setPending((cur) => cur ?? next);
  }, []);

  useEffect(() => {
    void checkPending();
    const off = onRealtimeEvent('pay.userpaying', () => void checkPending());
    const timer = setInterval(() => void checkPending(), PENDING_POLL_MS);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [checkPending]);

  const orderId = pending?.orderId ?? '';
  return (
    <div className="page paycode-page">
      <TopBar title={t.payCode} back="/wallet" />
      <section className="paycode-card" aria-label={t.payCode}>
        <p className="muted small" style={{ margin: 0 }}>
          {t.payCodeHint}
        </p>
        {code ? (
          <>
            <Barcode text={code.code} label={t.barcodeLabel(code.code)} />
            <span className="paycode-digits" data-testid="paycode-digits">
              {spaced(code.code)}
            </span>
            <QrCode text={code.code} label={t.qrLabel} />
          </>
        ) : (
          <div aria-busy="true" style={{ height: 280 }} />
        )}
        {error ? <p className="error" role="alert">{error}</p> : null}
        <button type="button" className="btn" onClick={() => void refresh()}>
          {t.refreshCode}
        </button>
        <p className="paycode-foot">{t.codeRefreshes}</p>
        {done ? (
          <p className="pay-status" role="status">
            {done}
          </p>
        ) : null}
      </section>
      {pending ? (
        <PaySheet
          key={orderId}
          title={t.pendingTitle}
          hint={t.pendingHint}
          load={async () => pending}
          pay={(pin) => payApi.payPending(orderId, pin)}
          decline={() => payApi.cancelPending(orderId)}
          onClose={(o) => {
            handled.current.add(orderId);
            setPending(null);
            setDone(o.kind === 'ok' ? t.paid : o.kind === 'cancel' ? t.declined : '');
            void refresh();
          }}
        />
      ) : null}
    </div>
  );
}
