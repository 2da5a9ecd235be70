import { useState } from 'react';
import { Badge, Button, Card, ConfirmDialog, Page, useToast } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { defineStrings, useStrings } from '../../lib/i18n.ts';
import { href, navigate, onLinkClick } from '../../lib/router.ts';
import { useCan } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';
import { when } from '../pay/api.ts';
import { devApi } from './api.ts';
import { kindStrings } from './kinds.ts';

const strings = defineStrings({
  en: {
    title: 'Delivery attempt {id}',
    back: '← Delivery log',
    kind: 'Kind', attempt: 'Attempt', url: 'Sent to', outcome: 'Result', latency: 'Latency', time: 'Time', queue: 'Message state', error: 'Error',
    success: 'Delivered', failure: 'Failed', pending: 'Still retrying', done: 'Delivered', dead: 'Gave up',
    resentFrom: 'Resend of message #{id}',
    request: 'Request', response: 'Response', headers: 'Headers', body: 'Body', noBody: '(empty)',
    resend: 'Resend…',
    resendTitle: 'Send this message again?',
    resendBody: 'It is queued as a new message with the same content (same notification or event id), so your server can tell it is a repeat. The new attempts show in the log.',
    resendDo: 'Resend',
    resent: 'Queued again as message #{id}',
    notResendable: 'This kind is internal or would repeat an action (refund completions, broadcasts, the webhook fan-out), so it cannot be resent here. Resend a webhook delivery to one endpoint instead.',
  },
  zh: {
    title: '投递记录 {id}',
    back: '← 投递日志',
    kind: '类型', attempt: '第几次', url: '发送到', outcome: '结果', latency: '耗时', time: '时间', queue: '消息状态', error: '错误',
    success: '已送达', failure: '失败', pending: '仍在重试', done: '已送达', dead: '已放弃',
    resentFrom: '消息 #{id} 的重发',
    request: '请求', response: '应答', headers: '请求头', body: '内容', noBody: '（空）',
    resend: '重新发送…',
    resendTitle: '再次发送这条消息？',
    resendBody: '它会作为一条内容相同（通知或事件 ID 相同）的新消息排队，你的服务器可据此识别重复。新的尝试会显示在日志中。',
    resendDo: '重新发送',
    resent: '已重新排队，消息 #{id}',
    notResendable: '这种类型是内部任务或会重复执行操作（退款完成、群发、Webhook 分发），不能在这里重发。请改为重发某个端点的 Webhook 投递。',
  },
});

const pretty = (text: string | null | undefined) => {
  if (!text) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};

/** One delivery attempt: request, response, timing; resend (permission developer) for the safe kinds. */
export default function DeliveryPage({ params }: PageProps) {
  const s = useStrings(strings);
  const k = useStrings(kindStrings);
  const can = useCan();
  const toast = useToast();
  const id = params.id ?? '';
  const a = useAsync(() => devApi.delivery(id), [id]);
  const [asking, setAsking] = useState(false);
  const d = a.data;
  return (
    <Page
      title={s('title', { id })}
      description={<a className="link" href={href('/developer')} onClick={(e) => onLinkClick(e, '/developer')}>{s('back')}</a>}
      actions={d && d.resendable && can('developer') ? <Button variant="primary" onClick={() => setAsking(true)}>{s('resend')}</Button> : null}
    >
      {a.error ? <Card><p role="alert">{errorText(a.error)}</p></Card> : null}
      {d ? (
        <>
          <Card>
            <dl className="kv">
              <div><dt>{s('kind')}</dt><dd>{k(d.kind as keyof typeof kindStrings.en) ?? d.kind}</dd></div>
              <div><dt>{s('attempt')}</dt><dd>{d.attempt}</dd></div>
              <div><dt>{s('url')}</dt><dd>{d.method} {d.url || '—'}</dd></div>
              <div><dt>{s('outcome')}</dt><dd><Badge tone={d.outcome === 'success' ? 'success' : 'danger'}>{s(d.outcome)}</Badge></dd></div>
              {d.error ? <div><dt>{s('error')}</dt><dd>{d.error}</dd></div> : null}
              <div><dt>{s('latency')}</dt><dd>{d.latencyMs} ms</dd></div>
              <div><dt>{s('time')}</dt><dd>{when(d.createdAt)}</dd></div>
              <div><dt>{s('queue')}</dt><dd>{s(d.queue)}{d.resentFrom ? ` · ${s('resentFrom', { id: d.resentFrom })}` : ''}</dd></div>
            </dl>
            {!d.resendable ? <p className="hint">{s('notResendable')}</p> : null}
          </Card>
          <Card title={s('request')}>
            {d.request.headers ? (
              <>
                <h3>{s('headers')}</h3>
                <pre>{Object.entries(d.request.headers).map(([h, v]) => `${h}: ${v}`).join('\n')}</pre>
              </>
            ) : null}
            <h3>{s('body')}</h3>
            <pre>{pretty(d.request.body) || s('noBody')}</pre>
          </Card>
          <Card title={s('response')}>
            <p>{d.responseStatus ?? '—'}</p>
            <pre>{pretty(d.responseBody) || s('noBody')}</pre>
          </Card>
        </>
      ) : null}
      <ConfirmDialog
        open={asking}
        title={s('resendTitle')}
        confirmLabel={s('resendDo')}
        onCancel={() => setAsking(false)}
        onConfirm={async () => {
          const r = await devApi.resend(id);
          setAsking(false);
          toast(s('resent', { id: r.outboxId }), 'success');
          navigate('/developer');
        }}
      >
        <p>{s('resendBody')}</p>
      </ConfirmDialog>
    </Page>
  );
}
