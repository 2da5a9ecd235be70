import { useState, type FormEvent } from 'react';
import { Button, Card, ConfirmDialog, SelectField, Table, TextField, useToast, type FieldErrors } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { defineStrings, useStrings } from '../../lib/i18n.ts';
import { useCan } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { parseYuan, payApi, randomKey, requestPayout, when, yuan } from './api.ts';

const strings = defineStrings({
  en: {
    accounts: 'Payout accounts',
    noAccounts: 'No bank account yet. Add one below to receive payouts.',
    bank: 'Bank',
    number: 'Account number',
    numberHint: 'Only the last four digits are kept.',
    add: 'Add account',
    added: 'Account added',
    payout: 'Request a payout',
    to: 'To account',
    amount: 'Amount (¥)',
    available: 'Available now: {amount}',
    request: 'Pay out…',
    confirmTitle: 'Pay out {amount} to {bank} ····{last4}?',
    confirmBody: 'The money leaves your available balance at once.',
    confirm: 'Pay out',
    done: 'Paid out {amount}',
    history: 'Payouts',
    noPayouts: 'No payouts yet.',
    date: 'Date',
    badAmount: 'Enter an amount such as 100.00',
    tooMuch: 'More than the available balance',
    needed: 'Required',
    badNumber: '8 to 40 digits',
  },
  zh: {
    accounts: '提现账户',
    noAccounts: '还没有银行账户。请在下方添加以便提现。',
    bank: '开户银行',
    number: '银行账号',
    numberHint: '只保存后四位。',
    add: '添加账户',
    added: '账户已添加',
    payout: '申请提现',
    to: '提现到',
    amount: '金额（元）',
    available: '当前可用：{amount}',
    request: '提现…',
    confirmTitle: '提现 {amount} 到 {bank} ····{last4}？',
    confirmBody: '款项将立即从可用余额中扣除。',
    confirm: '提现',
    done: '已提现 {amount}',
    history: '提现记录',
    noPayouts: '还没有提现。',
    date: '日期',
    badAmount: '请输入金额，例如 100.00',
    tooMuch: '超过可用余额',
    needed: '必填',
    badNumber: '8 到 40 位数字',
  },
});

/** Payout accounts and payouts (viewing: pay.read; adding and paying out: pay.payout, with confirmation). */
export function Payouts() {
  const s = useStrings(strings);
  const can = useCan();
  const toast = useToast();
  const accounts = useAsync(() => payApi.payoutAccounts());
  const payouts = useAsync(() => payApi.payouts());
  const bal = useAsync(() => payApi.balance());
  const [bank, setBank] = useState({ bankName: '', accountNumber: '' });
  const [errs, setErrs] = useState<FieldErrors<'bankName' | 'accountNumber' | 'amount'>>({});
  const [accountId, setAccountId] = useState('');
  const [amount, setAmount] = useState('');
  const [confirming, setConfirming] = useState<{ fen: number; key: string }>();
  const chosen = accounts.data?.find((a) => a.id === (accountId || accounts.data?.[0]?.id));

  async function addAccount(e: FormEvent) {
    e.preventDefault();
    const v: typeof errs = {};
    if (!bank.bankName.trim()) v.bankName = s('needed');
    if (!/^\d{8,40}$/.test(bank.accountNumber.replace(/\s/g, ''))) v.accountNumber = s('badNumber');
    setErrs(v);
    if (Object.keys(v).length) return;
    try {
      await payApi.addPayoutAccount({ bankName: bank.bankName.trim(), accountNumber: bank.accountNumber.replace(/\s/g, '') });
      toast(s('added'), 'success');
      setBank({ bankName: '', accountNumber: '' });
      accounts.reload();
    } catch (err) {
      setErrs({ accountNumber: errorText(err) });
    }
  }

  function ask(e: FormEvent) {
    e.preventDefault();
    const fen = parseYuan(amount);
    if (fen === undefined) return setErrs({ amount: s('badAmount') });
    if (bal.data && fen > bal.data.available) return setErrs({ amount: s('tooMuch') });
    setErrs({});
    setConfirming({ fen, key: randomKey('console-payout-') });
  }

  return (
    <>
      <Card title={s('accounts')}>
        <Table rows={accounts.data} error={accounts.error} onRetry={accounts.reload} rowKey={(a) => a.id} empty={{ text: s('noAccounts') }}
          columns={[{ key: 'bank', header: s('bank'), render: (a) => a.bankName }, { key: 'n', header: s('number'), render: (a) => `····${a.last4}` }, { key: 'at', header: s('date'), render: (a) => when(a.createdAt) }]} />
        {can('pay.payout') ? (
          <form className="form-grid" onSubmit={(e) => void addAccount(e)} noValidate>
            <TextField label={s('bank')} value={bank.bankName} onChange={(v) => setBank((b) => ({ ...b, bankName: v }))} error={errs.bankName} required maxLength={64} />
            <TextField label={s('number')} value={bank.accountNumber} onChange={(v) => setBank((b) => ({ ...b, accountNumber: v }))} error={errs.accountNumber} hint={s('numberHint')} required inputMode="numeric" autoComplete="off" />
            <div><Button type="submit">{s('add')}</Button></div>
          </form>
        ) : null}
      </Card>
      {can('pay.payout') && accounts.data && accounts.data.length > 0 ? (
        <Card title={s('payout')}>
          <form className="form-grid" onSubmit={ask} noValidate>
            <SelectField label={s('to')} value={chosen?.id ?? ''} onChange={setAccountId} options={accounts.data.map((a) => ({ value: a.id, label: `${a.bankName} ····${a.last4}` }))} />
            <TextField label={s('amount')} value={amount} onChange={setAmount} inputMode="decimal" error={errs.amount} hint={bal.data ? s('available', { amount: yuan(bal.data.available) }) : undefined} required />
            <div><Button type="submit" variant="primary">{s('request')}</Button></div>
          </form>
        </Card>
      ) : null}
      <Card title={s('history')}>
        <Table rows={payouts.data} error={payouts.error} onRetry={payouts.reload} rowKey={(p) => p.id} empty={{ text: s('noPayouts') }}
          columns={[
            { key: 'at', header: s('date'), render: (p) => when(p.createdAt) },
            { key: 'to', header: s('to'), render: (p) => { const a = accounts.data?.find((x) => x.id === p.accountId); return a ? `${a.bankName} ····${a.last4}` : p.accountId; } },
            { key: 'amount', header: s('amount'), numeric: true, render: (p) => yuan(p.amount) },
          ]} />
      </Card>
      <ConfirmDialog
        open={confirming !== undefined}
        title={confirming && chosen ? s('confirmTitle', { amount: yuan(confirming.fen), bank: chosen.bankName, last4: chosen.last4 }) : ''}
        confirmLabel={s('confirm')}
        onCancel={() => setConfirming(undefined)}
        onConfirm={async () => {
          if (!confirming || !chosen) return;
          const p = await requestPayout(confirming.key, { accountId: chosen.id, amount: confirming.fen });
          setConfirming(undefined);
          setAmount('');
          toast(s('done', { amount: yuan(p.amount) }), 'success');
          payouts.reload();
          bal.reload();
        }}
      >
        <p>{s('confirmBody')}</p>
      </ConfirmDialog>
    </>
  );
}
