import { useState } from 'react';
import { goBack, navigate } from '../lib/router.ts';
import { TopBar } from '../ui.tsx';
import { payApi, yuan } from './api.ts';
import { PaySheet, type PayOutcome } from './PaySheet.tsx';
import { usePayStrings } from './strings.ts';
import './pay.css';

/** A merchant's return address after an H5 payment: http(s) only. */
function returnUrlOf(raw: string | null): string | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(raw);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `/pay/native/:token` (a scanned Native code_url) and `/pay/h5/:token` (an H5 h5_url, optionally with the
 * merchant's `redirect_url`): the pay sheet for the code's order, then the result.
 */
export function PayRoutePage({ kind, token, redirectUrl }: { kind: 'native' | 'h5'; token: string; redirectUrl: string | null }) {
  const t = usePayStrings();
  const [outcome, setOutcome] = useState<PayOutcome | null>(null);
  const back = returnUrlOf(redirectUrl);
  const failText: Record<string, string> = { ORDERPAID: t.orderPaid, ORDER_CLOSED: t.orderClosed, ORDER_EXPIRED: t.orderExpired, PIN_LOCKED: t.lockedNow };

  return (
    <div className="page">
      <TopBar title={t.payTitle} back="/chats" />
      {outcome === null ? (
        <PaySheet
          load={() => payApi.codeSheet(token)}
          pay={(pin) => payApi.payCode(token, pin)}
          onClose={(o) => {
            if (o.kind === 'cancel') goBack('/chats');
            else setOutcome(o);
          }}
        />
      ) : (
        <section className="card form" aria-live="polite" data-kind={kind}>
          {outcome.kind === 'ok' ? (
            <>
              <h2 className="sheet-title">{t.paid}</h2>
              <div className="pay-amount" style={{ textAlign: 'center' }}>
                {yuan(outcome.paid.total)}
              </div>
              <dl className="pay-details">
                <dt>{t.transactionId}</dt>
                <dd>{outcome.paid.transactionId}</dd>
              </dl>
            </>
          ) : (
            <p className="error" role="alert">
              {failText[outcome.kind === 'fail' ? outcome.reason : ''] ?? t.orderUnknown}
            </p>
          )}
          {back ? (
            <button type="button" className="btn btn-primary" onClick={() => window.location.assign(back)}>
              {t.backToMerchant}
            </button>
          ) : null}
          <button type="button" className="btn" onClick={() => navigate('/wallet')}>
            {t.wallet}
          </button>
          <button type="button" className="btn" onClick={() => goBack('/chats')}>
            {t.done}
          </button>
        </section>
      )}
    </div>
  );
}
