import { useState } from 'react';
import { Badge, Card, LoadMore, SelectField, Table } from '../../kit/index.ts';
import { defineStrings, useStrings } from '../../lib/i18n.ts';
import { href, onLinkClick } from '../../lib/router.ts';
import { useAsync } from '../../lib/use-async.ts';
import { when } from '../pay/api.ts';
import { DELIVERY_KINDS, devApi, type Attempt } from './api.ts';
import { kindStrings } from './kinds.ts';

const strings = defineStrings({
  en: {
    title: 'Delivery log',
    intro: 'Every attempt to call your servers: message pushes to your callback URL, pay and refund notifications, webhooks. Open one to see the request and the answer, or send it again.',
    kind: 'Kind', anyKind: 'Every kind',
    outcome: 'Result', anyOutcome: 'Any result', success: 'Delivered', failure: 'Failed',
    url: 'Sent to', status: 'Answer', latency: 'Latency', time: 'Time',
    empty: 'Nothing delivered yet. Set a callback URL on an official account, add a webhook, or take a payment, and each attempt shows here.',
    open: 'Open attempt {id}',
  },
  zh: {
    title: '投递日志',
    intro: '每一次对你的服务器的调用：推送到回调 URL 的消息、支付与退款通知、Webhook。打开一条可查看请求与应答，或重新发送。',
    kind: '类型', anyKind: '全部类型',
    outcome: '结果', anyOutcome: '全部结果', success: '已送达', failure: '失败',
    url: '发送到', status: '应答', latency: '耗时', time: '时间',
    empty: '还没有投递记录。为公众号设置回调 URL、添加 Webhook 或收一笔款后，每次尝试都会显示在这里。',
    open: '打开第 {id} 条记录',
  },
});

/** The org's delivery attempts, newest first, filtered by kind and result (permission developer). */
export function Deliveries() {
  const s = useStrings(strings);
  const k = useStrings(kindStrings);
  const [kind, setKind] = useState('');
  const [outcome, setOutcome] = useState('');
  const [extra, setExtra] = useState<Attempt[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState(false);
  const list = useAsync(async () => {
    const page = await devApi.deliveries({ kind, outcome });
    setExtra([]);
    setCursor(page.nextCursor);
    return page.attempts;
  }, [kind, outcome]);
  async function loadMore() {
    if (!cursor) return;
    setMore(true);
    try {
      const page = await devApi.deliveries({ kind, outcome, cursor });
      setExtra((x) => [...x, ...page.attempts]);
      setCursor(page.nextCursor);
    } finally {
      setMore(false);
    }
  }
  const to = (a: Attempt) => `/developer/deliveries/${a.id}`;
  return (
    <Card title={s('title')}>
      <p className="muted">{s('intro')}</p>
      <div className="field-row">
        <SelectField label={s('kind')} value={kind} onChange={setKind} options={[{ value: '', label: s('anyKind') }, ...DELIVERY_KINDS.map((x) => ({ value: x, label: k(x) }))]} />
        <SelectField label={s('outcome')} value={outcome} onChange={setOutcome} options={[{ value: '', label: s('anyOutcome') }, { value: 'success', label: s('success') }, { value: 'failure', label: s('failure') }]} />
      </div>
      <Table
        rows={list.data ? [...list.data, ...extra] : undefined}
        loading={list.loading}
        error={list.error}
        onRetry={list.reload}
        rowKey={(a) => a.id}
        empty={{ text: s('empty') }}
        columns={[
          { key: 'time', header: s('time'), render: (a) => <a className="link" href={href(to(a))} onClick={(e) => onLinkClick(e, to(a))} aria-label={s('open', { id: a.id })}>{when(a.createdAt)}</a> },
          { key: 'kind', header: s('kind'), render: (a) => `${k(a.kind as (typeof DELIVERY_KINDS)[number]) ?? a.kind} #${a.attempt}` },
          { key: 'url', header: s('url'), render: (a) => a.url || '—' },
          { key: 'outcome', header: s('outcome'), render: (a) => <Badge tone={a.outcome === 'success' ? 'success' : 'danger'}>{a.outcome === 'success' ? s('success') : s('failure')}</Badge> },
          { key: 'status', header: s('status'), render: (a) => a.responseStatus ?? a.error ?? '—' },
          { key: 'latency', header: s('latency'), numeric: true, render: (a) => `${a.latencyMs} ms` },
        ]}
      />
      <LoadMore hasMore={cursor !== null} loading={more} onMore={() => void loadMore()} />
    </Card>
  );
}
