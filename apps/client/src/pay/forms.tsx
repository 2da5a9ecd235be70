import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { errorText } from '../lib/api.ts';
import { fenOf, payApi, yuan, type Card, type Transfer } from './api.ts';
import { usePayStrings } from './strings.ts';

/** Wallet forms shared by the wallet page and the pay sheet: a dialog frame, add a card, top-up / withdraw, PIN. */

export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  // Focus moves into the dialog when it opens (a screen reader announces its title).
  useEffect(() => box.current?.focus(), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="sheet-backdrop pay-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="sheet" role="dialog" aria-modal="true" aria-labelledby={id} tabIndex={-1} ref={box}>
        <h2 className="sheet-title" id={id}>
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}

export function AddCardForm({ onAdded }: { onAdded: (c: Card) => void }) {
  const t = usePayStrings();
  const [number, setNumber] = useState('');
  const [bank, setBank] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const c = await payApi.addCard({ number: number.replace(/\s+/g, ''), bank: bank.trim() });
      setNumber('');
      setBank('');
      onAdded(c);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="form pay-inline-form" onSubmit={submit} aria-label={t.addCard}>
      <label className="field">
        <span>{t.bank}</span>
        <input name="bank" value={bank} onChange={(e) => setBank(e.target.value)} required maxLength={64} />
      </label>
      <label className="field">
        <span>{t.cardNumber}</span>
        <input name="cardNumber" inputMode="numeric" autoComplete="cc-number" value={number} onChange={(e) => setNumber(e.target.value)} required minLength={12} maxLength={32} />
      </label>
      <button type="submit" className="btn" disabled={busy}>
        {t.addCard}
      </button>
      {error ? <p className="error" role="alert">{error}</p> : null}
    </form>
  );
}

/** Top up from (or withdraw to) one of the consumer's cards; `initialFen` pre-fills the amount. */
export function TransferForm({ direction, initialFen, onDone, onCancel }: { direction: 'topup' | 'withdraw'; initialFen?: number; onDone: (t: Transfer) => void; onCancel?: () => void }) {
  const t = usePayStrings();
  const [cards, setCards] = useState<Card[] | undefined>();
  const [cardId, setCardId] = useState('');
  const [amount, setAmount] = useState(initialFen ? (initialFen / 100).toFixed(2) : '');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    payApi.cards().then(
      (cs) => {
        setCards(cs);
        setCardId((id) => id || cs[0]?.id || '');
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, []);
  const label = direction === 'topup' ? t.topUp : t.withdraw;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fen = fenOf(amount);
    if (fen === undefined) return setError(t.badAmount);
    setBusy(true);
    setError('');
    try {
      onDone(await (direction === 'topup' ? payApi.topUp : payApi.withdraw)({ cardId, amount: fen }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  if (cards && cards.length === 0) {
    return (
      <div className="pay-stack">
        <p className="muted small">{t.noCards}</p>
        <AddCardForm onAdded={(c) => (setCards([c]), setCardId(c.id))} />
      </div>
    );
  }
  return (
    <form className="form pay-inline-form" onSubmit={submit} aria-label={label}>
      <label className="field">
        <span>{t.fromCard}</span>
        <select value={cardId} onChange={(e) => setCardId(e.target.value)} disabled={!cards}>
          {(cards ?? []).map((c) => (
            <option key={c.id} value={c.id}>
              {t.cardLabel(c.bank, c.last4)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t.amountYuan}</span>
        <input name="amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0.00" required />
      </label>
      <div className="pay-row-buttons">
        {onCancel ? (
          <button type="button" className="btn" onClick={onCancel}>
            {t.cancel}
          </button>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy || !cardId}>
          {label}
        </button>
      </div>
      {error ? <p className="error" role="alert">{error}</p> : null}
    </form>
  );
}

/** Sets the payment PIN (twice), or changes it (with the current one). */
export function PinForm({ change, onDone }: { change: boolean; onDone: () => void }) {
  const t = usePayStrings();
  const [current, setCurrent] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const six = (v: string) => v.replace(/\D/g, '').slice(0, 6);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!/^\d{6}$/.test(pin)) return setError(t.pinSix);
    if (pin !== again) return setError(t.pinMismatch);
    setBusy(true);
    setError('');
    try {
      await payApi.setPin(change ? { pin, currentPin: current } : { pin });
      setCurrent('');
      setPin('');
      setAgain('');
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const input = (label: string, value: string, set: (v: string) => void, name: string) => (
    <label className="field">
      <span>{label}</span>
      <input name={name} type="password" inputMode="numeric" autoComplete="off" value={value} onChange={(e) => set(six(e.target.value))} maxLength={6} required />
    </label>
  );
  return (
    <form className="form pay-inline-form" onSubmit={submit} aria-label={change ? t.pinChange : t.pinSet}>
      {change ? input(t.pinCurrent, current, setCurrent, 'currentPin') : null}
      {input(t.pinNew, pin, setPin, 'pin')}
      {input(t.pinRepeat, again, setAgain, 'pinAgain')}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {change ? t.pinChange : t.pinSet}
      </button>
      {error ? <p className="error" role="alert">{error}</p> : null}
    </form>
  );
}

export const transferText = (t: ReturnType<typeof usePayStrings>, x: Transfer) => (x.direction === 'topup' ? t.toppedUp(yuan(x.amount)) : t.withdrew(yuan(x.amount)));
