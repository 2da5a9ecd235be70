import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../lib/api.ts';
import { payApi, reasonOf, yuan, type Paid, type Sheet } from './api.ts';
import { Dialog, PinForm, TransferForm } from './forms.tsx';
import { usePayStrings, type PayStrings } from './strings.ts';
import './pay.css';

/** How a pay sheet ended: paid, cancelled by the person, or refused (`reason` is the API's, e.g. ORDER_CLOSED). */
export type PayOutcome = { kind: 'ok'; paid: Paid } | { kind: 'cancel' } | { kind: 'fail'; reason: string };

export interface PaySheetProps {
  /** The order to show (a JSAPI prepay, a Native/H5 code, a pending payment-code order). */
  load: () => Promise<Sheet>;
  /** Pays it with the PIN. */
  pay: (pin: string) => Promise<Paid>;
  /** Declines it on the server when the person cancels (pending payment-code orders). */
  decline?: () => Promise<unknown>;
  title?: string;
  hint?: string;
  onClose: (outcome: PayOutcome) => void;
}

interface Problem {
  reason: string;
  text: string;
  /** The order cannot be paid here any more: only Close is left. */
  fatal: boolean;
}

const FATAL = new Set(['ORDERPAID', 'ORDER_CLOSED', 'ORDER_EXPIRED', 'ORDER_NOT_EXIST', 'not_found', 'PIN_LOCKED', 'PAY_SIGN_INVALID']);
const clock = (iso: string | undefined) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');

function problemOf(t: PayStrings, e: unknown): Problem {
  const r = reasonOf(e);
  const reason = r?.reason ?? 'fail';
  const text: Record<string, string> = {
    PIN_WRONG: t.pinWrong(r?.triesLeft),
    PIN_LOCKED: t.pinLocked(clock(r?.unlockAt)),
    PIN_NOT_SET: t.pinNotSet,
    NOT_ENOUGH: t.notEnough,
    INSURANCE_NOT_ENOUGH: t.insuranceShort,
    ORDERPAID: t.orderPaid,
    ORDER_CLOSED: t.orderClosed,
    ORDER_EXPIRED: t.orderExpired,
    ORDER_NOT_EXIST: t.orderUnknown,
    not_found: t.orderUnknown,
    PAY_SIGN_INVALID: t.paySignInvalid,
  };
  return { reason, text: text[reason] ?? errorText(e), fatal: FATAL.has(reason) };
}

/** A loaded sheet that can no longer be paid, as the problem to show. */
function stateProblem(t: PayStrings, s: Sheet): Problem | null {
  if (s.state === 'SUCCESS' || s.state === 'REFUND') return { reason: 'ORDERPAID', text: t.orderPaid, fatal: true };
  if (s.state !== 'NOTPAY' && s.state !== 'USERPAYING') return { reason: 'ORDER_CLOSED', text: t.orderClosed, fatal: true };
  if (new Date(s.expiresAt).getTime() <= Date.now()) return { reason: 'ORDER_EXPIRED', text: t.orderExpired, fatal: true };
  return null;
}

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '', '0', 'del'] as const;

/** The pay sheet: who is paid, for what, how much (and the insured share), the PIN, the result. */
export function PaySheet({ load, pay, decline, title, hint, onClose }: PaySheetProps) {
  const t = usePayStrings();
  const [sheet, setSheet] = useState<Sheet | undefined>();
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [paid, setPaid] = useState<Paid | null>(null);
  const [extra, setExtra] = useState<'topup' | 'setpin' | null>(null);
  const [shortfall, setShortfall] = useState<number | undefined>();
  const closed = useRef(false);

  const finish = useCallback(
    (o: PayOutcome) => {
      if (closed.current) return;
      closed.current = true;
      onClose(o);
    },
    [onClose],
  );

  useEffect(() => {
    load().then(
      (s) => {
        setSheet(s);
        setProblem(stateProblem(t, s));
      },
      (e: unknown) => setProblem({ ...problemOf(t, e), fatal: true }),
    );
    // Loaded once per sheet.
  }, []);

  const due = sheet ? sheet.total - sheet.insuredTotal : 0;

  const submit = useCallback(
    async (code: string) => {
      setBusy(true);
      setProblem(null);
      setExtra(null);
      try {
        setPaid(await pay(code));
      } catch (e) {
        const p = problemOf(t, e);
        if (p.reason === 'NOT_ENOUGH') {
          // What is missing, suggested as the top-up.
          const w = await payApi.wallet().catch(() => undefined);
          setShortfall(w ? Math.max(1, due - w.balance) : undefined);
        }
        setProblem(p);
        setPin('');
        if (p.reason === 'PIN_NOT_SET') setExtra('setpin');
      } finally {
        setBusy(false);
      }
    },
    [pay, t, due],
  );

  useEffect(() => {
    if (pin.length === 6 && !busy && !paid) void submit(pin);
  }, [pin]);

  // Success shows for a moment, then the sheet returns to where it was opened.
  useEffect(() => {
    if (!paid) return;
    const timer = setTimeout(() => finish({ kind: 'ok', paid }), 3000);
    return () => clearTimeout(timer);
  }, [paid, finish]);

  const cancel = async () => {
    if (busy) return;
    if (paid) return finish({ kind: 'ok', paid });
    if (problem?.fatal) return finish({ kind: 'fail', reason: problem.reason });
    if (decline) await decline().catch(() => undefined);
    finish({ kind: 'cancel' });
  };

  const press = (k: (typeof KEYS)[number]) => {
    if (busy || paid) return;
    if (k === 'del') setPin((p) => p.slice(0, -1));
    else if (k) setPin((p) => (p.length < 6 ? p + k : p));
  };

  const locked = problem?.fatal === true;
  return (
    <Dialog title={paid ? t.paid : (title ?? t.payTitle)} onClose={() => void cancel()}>
      <div className="pay-sheet" aria-busy={!sheet && !problem}>
        {sheet ? (
          <div className="pay-summary">
            <div className="pay-merchant">{sheet.accountName}</div>
            <div className="pay-desc">{sheet.description}</div>
            <div className="pay-amount" data-testid="pay-amount">
              {yuan(paid ? paid.total : sheet.total)}
            </div>
            {sheet.insuredTotal > 0 ? <div className="pay-split">{t.insuredSplit(yuan(sheet.insuredTotal), yuan(due))}</div> : null}
          </div>
        ) : null}
        {paid ? (
          <div className="pay-done" role="status">
            <div className="pay-check" aria-hidden="true">
              ✓
            </div>
            <p>{t.paid}</p>
            <dl className="pay-receipt">
              <dt>{t.transactionId}</dt>
              <dd data-testid="pay-transaction-id">{paid.transactionId}</dd>
            </dl>
            <button type="button" className="btn btn-primary" onClick={() => finish({ kind: 'ok', paid })}>
              {t.done}
            </button>
          </div>
        ) : (
          <>
            {hint ? <p className="muted small pay-hint">{hint}</p> : null}
            {problem ? (
              <p className="error pay-problem" role="alert" data-reason={problem.reason}>
                {problem.text}
              </p>
            ) : null}
            {problem?.reason === 'NOT_ENOUGH' && extra !== 'topup' ? (
              <button type="button" className="btn" onClick={() => setExtra('topup')}>
                {t.topUpAndPay}
              </button>
            ) : null}
            {extra === 'topup' ? (
              <TransferForm
                direction="topup"
                initialFen={shortfall}
                onDone={() => {
                  setExtra(null);
                  setProblem(null);
                }}
                onCancel={() => setExtra(null)}
              />
            ) : null}
            {extra === 'setpin' ? (
              <PinForm
                change={false}
                onDone={() => {
                  setExtra(null);
                  setProblem(null);
                }}
              />
            ) : null}
            {sheet && !locked && extra === null ? (
              <div className="pay-pin">
                <label className="pay-pin-label">
                  <span>{busy ? t.paying : t.enterPin}</span>
                  <input
                    className="pay-pin-input"
                    type="password"
                    inputMode="numeric"
                    autoComplete="off"
                    aria-label={t.enterPin}
                    value={pin}
                    maxLength={6}
                    disabled={busy}
                    onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 6))}
                  />
                </label>
                <div className="pay-keypad">
                  {KEYS.map((k, i) =>
                    k === '' ? (
                      <span key={i} />
                    ) : (
                      <button key={i} type="button" className="pay-key" aria-label={k === 'del' ? t.pinDelete : t.pinDigit(k)} disabled={busy} onClick={() => press(k)}>
                        {k === 'del' ? '⌫' : k}
                      </button>
                    ),
                  )}
                </div>
              </div>
            ) : null}
            <button type="button" className="btn pay-cancel" onClick={() => void cancel()} disabled={busy}>
              {locked ? t.close : decline ? t.decline : t.cancel}
            </button>
          </>
        )}
      </div>
    </Dialog>
  );
}
