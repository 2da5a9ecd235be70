import { useEffect, useState } from 'react';
import { errorText } from '../lib/api.ts';
import { payApi, type Card } from './api.ts';
import { AddCardForm, Dialog } from './forms.tsx';
import { usePayStrings } from './strings.ts';

/** The consumer's (simulated) bank cards and adding one. */
export function CardsSection({ onChange }: { onChange: () => void }) {
  const t = usePayStrings();
  const [cards, setCards] = useState<Card[] | undefined>();
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    payApi.cards().then(setCards, (e: unknown) => setError(errorText(e)));
  }, []);
  return (
    <section aria-label={t.cards}>
      <h2 className="section-title">{t.cards}</h2>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {cards && cards.length === 0 ? <p className="pay-empty">{t.noCards}</p> : null}
      <ul className="pay-list" aria-label={t.cards}>
        {(cards ?? []).map((c) => (
          <li key={c.id} className="pay-list-row">
            <span className="pay-list-main">
              <span className="pay-list-title">{t.cardLabel(c.bank, c.last4)}</span>
            </span>
          </li>
        ))}
        <li>
          <button type="button" className="pay-list-row" onClick={() => setAdding(true)}>
            <span className="pay-list-main">
              <span className="pay-list-title" style={{ color: '#576b95' }}>
                + {t.addCard}
              </span>
            </span>
          </button>
        </li>
      </ul>
      {adding ? (
        <Dialog title={t.addCard} onClose={() => setAdding(false)}>
          <AddCardForm
            onAdded={(c) => {
              setCards((cs) => [...(cs ?? []), c]);
              setAdding(false);
              onChange();
            }}
          />
          <button type="button" className="btn" onClick={() => setAdding(false)}>
            {t.cancel}
          </button>
        </Dialog>
      ) : null}
    </section>
  );
}
