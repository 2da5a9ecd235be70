import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../lib/api.ts';
import { useMessages } from '../lib/realtime.ts';
import { navigate } from '../lib/router.ts';
import { TopBar } from '../ui.tsx';
import { payApi, yuan, type Wallet } from './api.ts';
import { CardsSection } from './CardsSection.tsx';
import { Dialog, PinForm, TransferForm, transferText } from './forms.tsx';
import { HistoryList } from './HistoryList.tsx';
import { usePayStrings } from './strings.ts';
import './pay.css';

/** `/wallet`: balance, top-up / withdraw, bank cards, the payment PIN and the history with receipts. */
export function WalletPage() {
  const t = usePayStrings();
  const [wallet, setWallet] = useState<Wallet | undefined>();
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [dialog, setDialog] = useState<'topup' | 'withdraw' | 'pin' | null>(null);
  const [version, setVersion] = useState(0);

  const refresh = useCallback(() => {
    payApi.wallet().then(setWallet, (e: unknown) => setError(errorText(e)));
    setVersion((v) => v + 1);
  }, []);
  useEffect(refresh, [refresh]);
  // A receipt pushed to a thread (a payment or refund) means the balance moved.
  useMessages(
    useCallback(
      (m) => {
        if (m.content.type === 'system') refresh();
      },
      [refresh],
    ),
  );
  // A payment or a refund made elsewhere (another tab, the pay code) shows when the page is back in view.
  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && refresh();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refresh]);

  const close = useCallback(() => setDialog(null), []);
  const locked = wallet?.pinLockedUntil ? new Date(wallet.pinLockedUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';

  return (
    <div className="page">
      <TopBar
        title={t.wallet}
        back="/me"
        right={
          <button type="button" className="icon-btn" aria-label={t.payCode} title={t.payCode} onClick={() => navigate('/pay/code')}>
            ▥
          </button>
        }
      />
      <section className="wallet-hero" aria-label={t.balance}>
        <span className="label">{t.balance}</span>
        <span className="wallet-balance" data-testid="wallet-balance">
          {wallet ? yuan(wallet.balance) : '…'}
        </span>
        <div className="wallet-actions">
          <button type="button" className="btn" onClick={() => setDialog('topup')}>
            {t.topUp}
          </button>
          <button type="button" className="btn" onClick={() => setDialog('withdraw')}>
            {t.withdraw}
          </button>
          <button type="button" className="btn" onClick={() => navigate('/pay/code')}>
            {t.payCode}
          </button>
        </div>
      </section>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {status ? (
        <p className="pay-status" role="status">
          {status}
        </p>
      ) : null}
      <CardsSection onChange={refresh} />
      <section aria-label={t.pin}>
        <h2 className="section-title">{t.pin}</h2>
        <ul className="pay-list">
          <li>
            <button type="button" className="pay-list-row" onClick={() => setDialog('pin')}>
              <span className="pay-list-main">
                <span className="pay-list-title">{wallet?.pinSet ? t.pinChange : t.pinSet}</span>
                {locked ? <span className="pay-list-sub">{t.pinLockedUntil(locked)}</span> : null}
              </span>
              <span className="chevron" aria-hidden="true">
                ›
              </span>
            </button>
          </li>
        </ul>
      </section>
      <HistoryList version={version} />
      {dialog === 'topup' || dialog === 'withdraw' ? (
        <Dialog title={dialog === 'topup' ? t.topUp : t.withdraw} onClose={close}>
          <TransferForm
            direction={dialog}
            onDone={(x) => {
              setDialog(null);
              setStatus(transferText(t, x));
              refresh();
            }}
            onCancel={close}
          />
        </Dialog>
      ) : null}
      {dialog === 'pin' ? (
        <Dialog title={wallet?.pinSet ? t.pinChange : t.pinSet} onClose={close}>
          <PinForm
            change={wallet?.pinSet === true}
            onDone={() => {
              setDialog(null);
              setStatus(t.pinSaved);
              refresh();
            }}
          />
          <button type="button" className="btn" onClick={close}>
            {t.cancel}
          </button>
        </Dialog>
      ) : null}
    </div>
  );
}
