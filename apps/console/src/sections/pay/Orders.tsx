import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, DateRange, LoadMore, SelectField, Table, TextField, lastDays, type DateRangeValue } from '../../kit/index.ts';
import { ApiError, errorText } from '../../lib/api.ts';
import { defineStrings, useStrings } from '../../lib/i18n.ts';
import { navigate, onLinkClick, href } from '../../lib/router.ts';
import { useAsync } from '../../lib/use-async.ts';
import { PAY_STATES, payApi, when, yuan, type Order, type PayState } from './api.ts';
import { stateStrings, stateTone } from './states.ts';

const strings = defineStrings({
  en: {
    orders: 'Orders',
    search: 'Find an order',
    searchHint: 'Your order number (out_trade_no) or the 28-digit transaction id.',
    find: 'Find',
    notFound: 'No order with this number.',
    state: 'State',
    any: 'Any state',
    no: 'Order number',
    description: 'Item',
    amount: 'Amount',
    refunded: 'Refunded',
    created: 'Created',
    empty: 'No orders in this period. Orders appear here as soon as your shop or server creates them.',
    widen: 'Show the last 90 days',
    open: 'Open order {no}',
  },
  zh: {
    orders: '订单',
    search: '查找订单',
    searchHint: '商户订单号（out_trade_no）或 28 位微信支付订单号。',
    find: '查找',
    notFound: '没有这个订单号的订单。',
    state: '状态',
    any: '全部状态',
    no: '订单号',
    description: '商品',
    amount: '金额',
    refunded: '已退款',
    created: '创建时间',
    empty: '这段时间没有订单。门店或服务器创建订单后会立即显示在这里。',
    widen: '查看最近 90 天',
    open: '打开订单 {no}',
  },
});

/** The org's pay orders: filter by state and CST days, find one by number, load more; a row opens the order. */
export function Orders() {
  const s = useStrings(strings);
  const st = useStrings(stateStrings);
  const [state, setState] = useState<PayState | ''>('');
  const [range, setRange] = useState<DateRangeValue>(lastDays(30));
  const [extra, setExtra] = useState<Order[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const [q, setQ] = useState('');
  const [qError, setQError] = useState<string>();
  const [finding, setFinding] = useState(false);
  const list = useAsync(async () => {
    const page = await payApi.orders({ state: state || undefined, from: range.from, to: range.to });
    setExtra([]);
    setCursor(page.nextCursor);
    return page.orders;
  }, [state, range.from, range.to]);

  async function loadMore() {
    if (!cursor) return;
    setMore(true);
    try {
      const page = await payApi.orders({ state: state || undefined, from: range.from, to: range.to, cursor });
      setExtra((x) => [...x, ...page.orders]);
      setCursor(page.nextCursor);
    } finally {
      setMore(false);
    }
  }

  async function find(e: FormEvent) {
    e.preventDefault();
    const v = q.trim();
    if (!v) return setQError(s('searchHint'));
    setFinding(true);
    setQError(undefined);
    try {
      const o = await payApi.lookup(v);
      navigate(`/pay/orders/${encodeURIComponent(o.outTradeNo)}`);
    } catch (err) {
      setQError(err instanceof ApiError && err.status === 404 ? s('notFound') : errorText(err));
    } finally {
      setFinding(false);
    }
  }

  const rows = list.data ? [...list.data, ...extra] : undefined;
  const to = (o: Order) => `/pay/orders/${encodeURIComponent(o.outTradeNo)}`;
  return (
    <>
      <Card title={s('search')}>
        <form className="field-row" onSubmit={(e) => void find(e)} role="search" noValidate>
          <TextField label={s('no')} value={q} onChange={setQ} hint={s('searchHint')} error={qError} maxLength={64} />
          <div>
            <Button type="submit" busy={finding}>
              {s('find')}
            </Button>
          </div>
        </form>
      </Card>
      <Card title={s('orders')}>
        <div className="field-row">
          <SelectField label={s('state')} value={state} onChange={setState} options={[{ value: '' as const, label: s('any') }, ...PAY_STATES.map((x) => ({ value: x, label: st(x) }))]} />
          <DateRange value={range} onChange={setRange} />
        </div>
        <Table
          rows={rows}
          loading={list.loading}
          error={list.error}
          onRetry={list.reload}
          rowKey={(o) => o.id}
          empty={{ text: s('empty'), action: <Button onClick={() => setRange(lastDays(90))}>{s('widen')}</Button> }}
          columns={[
            {
              key: 'no',
              header: s('no'),
              render: (o) => (
                <a className="link" href={href(to(o))} onClick={(e) => onLinkClick(e, to(o))} aria-label={s('open', { no: o.outTradeNo })}>
                  {o.outTradeNo}
                </a>
              ),
            },
            { key: 'desc', header: s('description'), render: (o) => o.description },
            { key: 'state', header: s('state'), render: (o) => <Badge tone={stateTone(o.state)}>{st(o.state)}</Badge> },
            { key: 'amount', header: s('amount'), numeric: true, render: (o) => yuan(o.amount) },
            { key: 'refunded', header: s('refunded'), numeric: true, render: (o) => (o.refundedAmount ? yuan(o.refundedAmount) : '—') },
            { key: 'created', header: s('created'), render: (o) => when(o.createdAt) },
          ]}
        />
        <LoadMore hasMore={cursor !== null} loading={more} onMore={() => void loadMore()} />
      </Card>
    </>
  );
}
