import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../lib/api.ts';
import { payApi, yuan, type Receipt } from './api.ts';
import { Dialog } from './forms.tsx';
import { usePayStrings } from './strings.ts';

const signed = (fen: number) => (fen > 0 ? `+${yuan(fen)}` : yuan(fen));
const when = (iso: string) => new Date(iso).toLocaleString([], { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** The wallet's history, newest first, 30 at a time; a row opens its receipt. `version` reloads it. */
export function HistoryList({ version }: { version: number }) {
  const t = usePayStrings();
  const [items, setItems] = useState<Receipt[] | undefined>();
  const [more, setMore] = useState(false);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<Receipt | null>(null);

  const load = useCallback(async (before?: string) => {
    setError('');
    try {
      const page = await payApi.history(before);
      setItems((prev) => (before ? [...(prev ?? []), ...page] : page));
      setMore(page.length === 30);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load, version]);

  return (
    <section aria-label={t.history}>
      <h2 className="section-title">{t.history}</h2>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {items && items.length === 0 ? <p className="pay-empty">{t.noHistory}</p> : null}
      <ul className="pay-list" aria-label={t.history}>
        {(items ?? []).map((r) => (
          <li key={r.id}>
            <button type="button" className="pay-list-row" onClick={() => setOpen(r)} aria-label={`${t.kindLabel(r.kind)} ${t.counterpartyLabel(r.counterparty)} ${signed(r.amount)}`}>
              <span className="pay-list-main">
                <span className="pay-list-title">{t.kindLabel(r.kind)}</span>
                <span className="pay-list-sub">
                  {t.counterpartyLabel(r.counterparty)} · {when(r.createdAt)}
                </span>
              </span>
              <span className={r.amount > 0 ? 'pay-in' : 'pay-out'}>{signed(r.amount)}</span>
            </button>
          </li>
        ))}
      </ul>
      {more && items ? (
        <button type="button" className="btn-link" onClick={() => void load(items[items.length - 1]?.id)}>
          {t.loadMore}
        </button>
      ) : null}
      {open ? (
        <Dialog title={t.receipt} onClose={() => setOpen(null)}>
          <div className="pay-amount" style={{ textAlign: 'center' }}>
            {signed(open.amount)}
          </div>
          <dl className="pay-details">
            <dt>{t.receipt}</dt>
            <dd>{t.kindLabel(open.kind)}</dd>
            <dt>{t.counterparty}</dt>
            <dd>{t.counterpartyLabel(open.counterparty)}</dd>
            <dt>{t.time}</dt>
            <dd>{new Date(open.createdAt).toLocaleString()}</dd>
            <dt>{t.reference}</dt>
            <dd>{open.reference}</dd>
          </dl>
          <button type="button" className="btn" onClick={() => setOpen(null)}>
            {t.close}
          </button>
        </Dialog>
      ) : null}
    </section>
  );
}
