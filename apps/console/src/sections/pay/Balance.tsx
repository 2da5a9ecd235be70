import { useState } from 'react';
import { Card, Table, TextField } from '../../kit/index.ts';
import { cstDay } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { defineStrings, useStrings } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { payApi, when, yuan } from './api.ts';

const strings = defineStrings({
  en: {
    balances: 'Balances',
    pending: 'Pending',
    pendingHint: 'Paid, not yet settled',
    available: 'Available',
    availableHint: 'Settled; can be paid out',
    fees: 'Fees so far',
    chart: 'Pending and available balance',
    settlement: 'Settlement of a day',
    day: 'Day (China time)',
    none: 'Nothing settled on this day. Payments settle the day after they are paid (T+1) unless settings say otherwise.',
    no: 'Order number',
    total: 'Paid',
    refunded: 'Refunded before settling',
    fee: 'Fee',
    net: 'Net',
    settledAt: 'Settled at',
    dayTotal: 'Settled {amount}, fee {fee}, net {net}',
  },
  zh: {
    balances: '余额',
    pending: '待结算',
    pendingHint: '已支付、尚未结算',
    available: '可用',
    availableHint: '已结算，可提现',
    fees: '累计手续费',
    chart: '待结算与可用余额',
    settlement: '每日结算',
    day: '日期（北京时间）',
    none: '这一天没有结算。除非另行设置，付款在次日（T+1）结算。',
    no: '订单号',
    total: '支付金额',
    refunded: '结算前退款',
    fee: '手续费',
    net: '净额',
    settledAt: '结算时间',
    dayTotal: '结算 {amount}，手续费 {fee}，净额 {net}',
  },
});

/** Balances (with a bar of pending vs available) and one day's settlement. Permission pay.read. */
export function Balance() {
  const s = useStrings(strings);
  const bal = useAsync(() => payApi.balance());
  const [day, setDay] = useState(cstDay(-1));
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(day);
  const settled = useAsync(() => (valid ? payApi.settlement(day) : Promise.resolve(undefined)), [day]);
  const b = bal.data;
  const sum = b ? Math.max(1, b.pending + b.available) : 1;
  return (
    <>
      <Card title={s('balances')}>
        {bal.error ? <p role="alert">{errorText(bal.error)}</p> : null}
        {b ? (
          <>
            <dl className="stats">
              <div><dt>{s('pending')}</dt><dd>{yuan(b.pending)}</dd><p className="hint">{s('pendingHint')}</p></div>
              <div><dt>{s('available')}</dt><dd>{yuan(b.available)}</dd><p className="hint">{s('availableHint')}</p></div>
              <div><dt>{s('fees')}</dt><dd>{yuan(b.fees)}</dd></div>
            </dl>
            <svg role="img" aria-label={`${s('chart')}: ${s('pending')} ${yuan(b.pending)}, ${s('available')} ${yuan(b.available)}`} viewBox="0 0 100 6" width="100%" height="18" preserveAspectRatio="none">
              <rect x="0" y="0" width={(b.pending / sum) * 100} height="6" fill="#f0a020" />
              <rect x={(b.pending / sum) * 100} y="0" width={(b.available / sum) * 100} height="6" fill="#2a9d5c" />
            </svg>
          </>
        ) : null}
      </Card>
      <Card title={s('settlement')}>
        <TextField label={s('day')} type="date" value={day} onChange={setDay} max={cstDay()} />
        {settled.data && settled.data.orders.length > 0 ? <p>{s('dayTotal', { amount: yuan(settled.data.amount), fee: yuan(settled.data.fee), net: yuan(settled.data.net) })}</p> : null}
        <Table
          rows={valid ? settled.data?.orders : []}
          loading={settled.loading}
          error={settled.error}
          onRetry={settled.reload}
          rowKey={(o) => o.transactionId}
          empty={{ text: s('none') }}
          columns={[
            { key: 'no', header: s('no'), render: (o) => o.outTradeNo },
            { key: 'total', header: s('total'), numeric: true, render: (o) => yuan(o.total) },
            { key: 'refunded', header: s('refunded'), numeric: true, render: (o) => yuan(o.refunded) },
            { key: 'fee', header: s('fee'), numeric: true, render: (o) => yuan(o.fee) },
            { key: 'net', header: s('net'), numeric: true, render: (o) => yuan(o.net) },
            { key: 'at', header: s('settledAt'), render: (o) => when(o.settledAt) },
          ]}
        />
      </Card>
    </>
  );
}
