import { useState } from 'react';
import { Badge, Button, Card, Page, Table, useToast } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { defineStrings, useStrings } from '../../lib/i18n.ts';
import { href, onLinkClick } from '../../lib/router.ts';
import { useCan } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';
import { payApi, when, yuan } from './api.ts';
import { RefundDialog } from './RefundDialog.tsx';
import { stateStrings, stateTone } from './states.ts';

const strings = defineStrings({
  en: {
    title: 'Order {no}',
    back: '← All orders',
    summary: 'Summary',
    amount: 'Amount',
    insured: 'Paid by insurance',
    refunded: 'Refunded',
    state: 'State',
    tx: 'Transaction id',
    method: 'Method',
    payer: 'Payer openid',
    created: 'Created',
    paid: 'Paid at',
    attach: 'Attach',
    refund: 'Refund…',
    refunds: 'Refunds',
    noRefunds: 'No refunds. Use “Refund…” to give back all or part of a paid order.',
    refundNo: 'Refund number',
    reason: 'Reason',
    status: 'Status',
    ledger: 'Ledger entries',
    ledgerHint: 'Every money movement of this order and its refunds. Each movement balances to zero.',
    noLedger: 'No money has moved yet: the order is not paid.',
    movement: 'Movement',
    account: 'Account',
    notifications: 'Notification attempts',
    noNotifications: 'No notifications were sent for this order yet.',
    kind: 'Kind',
    url: 'Sent to',
    outcome: 'Result',
    latency: 'Latency',
    time: 'Time',
    ok: 'Delivered',
    failed: 'Failed',
    refundStarted: 'Refund of {amount} started',
    refundDone: 'Refunded',
    mk_pay_success: 'Payment',
    mk_refund_accept: 'Refund accepted',
    mk_refund_success: 'Refund completed',
    acc_consumer_wallet: 'Payer’s wallet',
    acc_merchant_pending: 'Your pending balance',
    acc_merchant_available: 'Your available balance',
    acc_platform_fees: 'Platform fees',
    acc_refunds_in_flight: 'Refunds in progress',
    acc_insurance_fund: 'Insurance fund',
    acc_bank: 'Bank',
  },
  zh: {
    title: '订单 {no}',
    back: '← 全部订单',
    summary: '概要',
    amount: '金额',
    insured: '保险支付',
    refunded: '已退款',
    state: '状态',
    tx: '微信支付订单号',
    method: '支付方式',
    payer: '付款人 openid',
    created: '创建时间',
    paid: '支付时间',
    attach: '附加数据',
    refund: '退款…',
    refunds: '退款记录',
    noRefunds: '没有退款。点击“退款…”可退回已支付订单的全部或部分金额。',
    refundNo: '退款单号',
    reason: '原因',
    status: '状态',
    ledger: '账务分录',
    ledgerHint: '本订单及其退款的每一笔资金变动，每笔变动借贷相抵为零。',
    noLedger: '还没有资金变动：订单尚未支付。',
    movement: '变动',
    account: '账户',
    notifications: '通知记录',
    noNotifications: '本订单还没有发送任何通知。',
    kind: '类型',
    url: '发送到',
    outcome: '结果',
    latency: '耗时',
    time: '时间',
    ok: '已送达',
    failed: '失败',
    refundStarted: '已发起退款 {amount}',
    refundDone: '退款成功',
    mk_pay_success: '支付',
    mk_refund_accept: '受理退款',
    mk_refund_success: '退款完成',
    acc_consumer_wallet: '付款人钱包',
    acc_merchant_pending: '待结算余额',
    acc_merchant_available: '可用余额',
    acc_platform_fees: '平台手续费',
    acc_refunds_in_flight: '退款在途',
    acc_insurance_fund: '保险资金',
    acc_bank: '银行',
  },
});
type Key = keyof typeof strings.en;
const label = (s: (k: Key) => string, prefix: 'mk_' | 'acc_', key: string) => {
  const k = `${prefix}${key.replaceAll('.', '_')}`;
  return k in strings.en ? s(k as Key) : key;
};

/** One order: summary, refund (permission pay.refund), its refunds, ledger entries and notification attempts. */
export default function OrderPage({ params }: PageProps) {
  const s = useStrings(strings);
  const st = useStrings(stateStrings);
  const can = useCan();
  const toast = useToast();
  const no = params.outTradeNo ?? '';
  const order = useAsync(() => payApi.order(no), [no]);
  const refunds = useAsync(() => payApi.refunds(no), [no]);
  const ledger = useAsync(() => payApi.ledger(no), [no]);
  const notes = useAsync(() => payApi.notifications(no), [no]);
  const [refunding, setRefunding] = useState(false);
  const reloadAll = () => [order, refunds, ledger, notes].forEach((x) => x.reload());
  const o = order.data;
  const refundable = o && (o.state === 'SUCCESS' || o.state === 'REFUND') && o.refundedAmount < o.amount && can('pay.refund');

  return (
    <Page
      title={s('title', { no })}
      description={
        <a className="link" href={href('/pay')} onClick={(e) => onLinkClick(e, '/pay')}>
          {s('back')}
        </a>
      }
      actions={refundable ? <Button variant="danger" onClick={() => setRefunding(true)}>{s('refund')}</Button> : null}
    >
      <Card title={s('summary')}>
        {order.error ? (
          <p role="alert">{errorText(order.error)}</p>
        ) : o ? (
          <dl className="kv">
            <div><dt>{s('state')}</dt><dd><Badge tone={stateTone(o.state)}>{st(o.state)}</Badge></dd></div>
            <div><dt>{s('amount')}</dt><dd>{yuan(o.amount)}</dd></div>
            {o.insuredAmount ? <div><dt>{s('insured')}</dt><dd>{yuan(o.insuredAmount)}</dd></div> : null}
            <div><dt>{s('refunded')}</dt><dd>{yuan(o.refundedAmount)}</dd></div>
            <div><dt>{s('tx')}</dt><dd>{o.transactionId}</dd></div>
            <div><dt>{s('method')}</dt><dd>{o.method}</dd></div>
            <div><dt>{s('payer')}</dt><dd>{o.payerOpenid ?? '—'}</dd></div>
            <div><dt>{s('created')}</dt><dd>{when(o.createdAt)}</dd></div>
            <div><dt>{s('paid')}</dt><dd>{when(o.successTime)}</dd></div>
            {o.attach ? <div><dt>{s('attach')}</dt><dd>{o.attach}</dd></div> : null}
          </dl>
        ) : (
          <p className="muted">…</p>
        )}
      </Card>
      <Card title={s('refunds')}>
        <Table
          rows={refunds.data}
          error={refunds.error}
          onRetry={refunds.reload}
          rowKey={(r) => r.id}
          empty={{ text: s('noRefunds') }}
          columns={[
            { key: 'no', header: s('refundNo'), render: (r) => r.outRefundNo },
            { key: 'amount', header: s('amount'), numeric: true, render: (r) => yuan(r.amount) },
            { key: 'status', header: s('status'), render: (r) => <Badge tone={stateTone(r.status)}>{r.status === 'SUCCESS' ? s('refundDone') : st(r.status)}</Badge> },
            { key: 'reason', header: s('reason'), render: (r) => r.reason ?? '—' },
            { key: 'time', header: s('time'), render: (r) => when(r.successTime ?? r.createdAt) },
          ]}
        />
      </Card>
      <Card title={s('ledger')}>
        <p className="hint">{s('ledgerHint')}</p>
        <Table
          rows={ledger.data?.flatMap((m) => m.entries.map((e, i) => ({ key: `${m.transactionId}-${i}`, first: i === 0, m, e })))}
          error={ledger.error}
          onRetry={ledger.reload}
          rowKey={(r) => r.key}
          empty={{ text: s('noLedger') }}
          columns={[
            { key: 'mv', header: s('movement'), render: (r) => (r.first ? label(s, 'mk_', r.m.kind) : '') },
            { key: 'acc', header: s('account'), render: (r) => label(s, 'acc_', r.e.account) },
            { key: 'amount', header: s('amount'), numeric: true, render: (r) => yuan(r.e.amount) },
            { key: 'time', header: s('time'), render: (r) => (r.first ? when(r.m.createdAt) : '') },
          ]}
        />
      </Card>
      <Card title={s('notifications')}>
        <Table
          rows={notes.data}
          error={notes.error}
          onRetry={notes.reload}
          rowKey={(a) => a.id}
          empty={{ text: s('noNotifications') }}
          columns={[
            { key: 'kind', header: s('kind'), render: (a) => <a className="link" href={href(`/developer/deliveries/${a.id}`)} onClick={(e) => onLinkClick(e, `/developer/deliveries/${a.id}`)}>{a.kind} #{a.attempt}</a> },
            { key: 'url', header: s('url'), render: (a) => a.url || '—' },
            { key: 'outcome', header: s('outcome'), render: (a) => <Badge tone={a.outcome === 'success' ? 'success' : 'danger'}>{a.outcome === 'success' ? s('ok') : s('failed')}{a.responseStatus ? ` ${a.responseStatus}` : ''}</Badge> },
            { key: 'latency', header: s('latency'), numeric: true, render: (a) => `${a.latencyMs} ms` },
            { key: 'time', header: s('time'), render: (a) => when(a.createdAt) },
          ]}
        />
      </Card>
      {o ? (
        <RefundDialog
          order={o}
          open={refunding}
          onClose={() => setRefunding(false)}
          onDone={(r) => {
            setRefunding(false);
            toast(s('refundStarted', { amount: yuan(r.amount) }), 'success');
            reloadAll();
            // The refund completes in the background: look again shortly.
            setTimeout(reloadAll, 1500);
          }}
        />
      ) : null}
    </Page>
  );
}
