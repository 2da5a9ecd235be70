import { useState, type FormEvent } from 'react';
import { Button, Card, ConfirmDialog, ShownOnce, Switch, Table, TextField, useToast } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { defineStrings, useStrings } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import { when } from '../pay/api.ts';
import { devApi, WEBHOOK_EVENTS, type Endpoint, type WebhookEvent } from './api.ts';

const strings = defineStrings({
  en: {
    title: 'Webhook endpoints',
    intro: 'Lianjie POSTs signed JSON events (Lianjie-Signature, Lianjie-Event-Id) to these URLs; any 2xx answer counts as delivered, anything else is retried for up to 6 hours.',
    url: 'URL', urlHint: 'https:// address of your server', description: 'Description', events: 'Events',
    'payment.succeeded': 'Payment succeeded', 'refund.succeeded': 'Refund succeeded', '*': 'Every event',
    add: 'Add endpoint', enabled: 'Enabled', created: 'Created',
    empty: 'No webhook endpoints. Add one to be told about payments and refunds of your JSON API orders.',
    secretTitle: 'Signing secret — shown only now',
    secretHint: 'Copy it into your server’s configuration: it verifies Lianjie-Signature. It cannot be shown again.',
    gotIt: 'I saved it',
    rotate: 'Rotate secret', del: 'Delete',
    rotateTitle: 'Replace the secret of {url}?', rotateBody: 'The old secret stops at once; retries are signed with the new one.',
    delTitle: 'Delete {url}?', delBody: 'Its queued deliveries stop.', word: 'DELETE',
    badUrl: 'Enter an http(s):// URL', needEvent: 'Choose at least one event',
    toggle: 'Enable {url}', eventsOf: 'Events of {url}',
  },
  zh: {
    title: 'Webhook 端点',
    intro: '连接会把签名的 JSON 事件（Lianjie-Signature、Lianjie-Event-Id）POST 到这些 URL；任何 2xx 应答即视为送达，否则最多重试 6 小时。',
    url: 'URL', urlHint: '你的服务器的 https:// 地址', description: '描述', events: '事件',
    'payment.succeeded': '支付成功', 'refund.succeeded': '退款成功', '*': '所有事件',
    add: '添加端点', enabled: '启用', created: '创建时间',
    empty: '还没有 Webhook 端点。添加后即可接收 JSON API 订单的支付与退款事件。',
    secretTitle: '签名密钥——只显示这一次',
    secretHint: '请复制到服务器配置中，用于验证 Lianjie-Signature。之后无法再次显示。',
    gotIt: '我已保存',
    rotate: '更换密钥', del: '删除',
    rotateTitle: '更换 {url} 的密钥？', rotateBody: '旧密钥立即失效；重试将使用新密钥签名。',
    delTitle: '删除 {url}？', delBody: '排队中的投递将停止。', word: '删除',
    badUrl: '请输入 http(s):// 地址', needEvent: '至少选择一个事件',
    toggle: '启用 {url}', eventsOf: '{url} 的事件',
  },
});

/** The org's webhook endpoints: add (secret shown once), enable/disable, events, rotate secret, delete. */
export function Webhooks() {
  const s = useStrings(strings);
  const toast = useToast();
  const list = useAsync(() => devApi.webhooks());
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['*']);
  const [errs, setErrs] = useState<{ url?: string; events?: string }>({});
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string>();
  const [rotating, setRotating] = useState<Endpoint>();
  const [deleting, setDeleting] = useState<Endpoint>();

  async function add(e: FormEvent) {
    e.preventDefault();
    const v: typeof errs = {};
    if (!/^https?:\/\/\S+$/.test(url.trim())) v.url = s('badUrl');
    if (events.length === 0) v.events = s('needEvent');
    setErrs(v);
    if (v.url || v.events) return;
    setBusy(true);
    try {
      const ep = await devApi.createWebhook({ url: url.trim(), events, ...(description.trim() ? { description: description.trim() } : {}) });
      setSecret(ep.secret);
      setUrl('');
      setDescription('');
      list.reload();
    } catch (err) {
      setErrs({ url: errorText(err) });
    } finally {
      setBusy(false);
    }
  }

  async function patch(ep: Endpoint, b: Parameters<typeof devApi.patchWebhook>[1]) {
    try {
      await devApi.patchWebhook(ep.id, b);
      list.reload();
    } catch (err) {
      toast(errorText(err), 'error');
    }
  }

  const toggleEvent = (list0: WebhookEvent[], ev: WebhookEvent) => (list0.includes(ev) ? list0.filter((x) => x !== ev) : [...list0, ev]);

  return (
    <>
      {secret ? (
        <ShownOnce title={s('secretTitle')} hint={s('secretHint')} value={secret} doneLabel={s('gotIt')} onDone={() => setSecret(undefined)} />
      ) : null}
      <Card title={s('title')}>
        <p className="muted">{s('intro')}</p>
        <Table
          rows={list.data}
          error={list.error}
          onRetry={list.reload}
          rowKey={(ep) => ep.id}
          empty={{ text: s('empty') }}
          columns={[
            { key: 'url', header: s('url'), render: (ep) => <>{ep.url}{ep.description ? <div className="muted">{ep.description}</div> : null}</> },
            {
              key: 'events',
              header: s('events'),
              render: (ep) => (
                <fieldset aria-label={s('eventsOf', { url: ep.url })}>
                  {WEBHOOK_EVENTS.map((ev) => (
                    <label key={ev}>
                      <input type="checkbox" checked={ep.events.includes(ev)} onChange={() => { const next = toggleEvent(ep.events, ev); if (next.length) void patch(ep, { events: next }); }} /> {s(ev)}
                    </label>
                  ))}
                </fieldset>
              ),
            },
            { key: 'enabled', header: s('enabled'), render: (ep) => <Switch label={s('toggle', { url: ep.url })} checked={ep.enabled} onChange={(v) => void patch(ep, { enabled: v })} /> },
            { key: 'created', header: s('created'), render: (ep) => when(ep.createdAt) },
            { key: 'act', header: '', render: (ep) => <div className="actions"><Button variant="ghost" onClick={() => setRotating(ep)}>{s('rotate')}</Button><Button variant="ghost" onClick={() => setDeleting(ep)}>{s('del')}</Button></div> },
          ]}
        />
      </Card>
      <Card title={s('add')}>
        <form className="form-grid" onSubmit={(e) => void add(e)} noValidate>
          <TextField label={s('url')} value={url} onChange={setUrl} hint={s('urlHint')} error={errs.url} required type="url" maxLength={2048} />
          <TextField label={s('description')} value={description} onChange={setDescription} maxLength={200} />
          <fieldset>
            <legend>{s('events')}</legend>
            {WEBHOOK_EVENTS.map((ev) => (
              <label key={ev}>
                <input type="checkbox" checked={events.includes(ev)} onChange={() => setEvents((x) => toggleEvent(x, ev))} /> {s(ev)}
              </label>
            ))}
            {errs.events ? <p className="field-error" role="alert">{errs.events}</p> : null}
          </fieldset>
          <div><Button type="submit" variant="primary" busy={busy}>{s('add')}</Button></div>
        </form>
      </Card>
      <ConfirmDialog open={rotating !== undefined} title={s('rotateTitle', { url: rotating?.url ?? '' })} confirmLabel={s('rotate')} danger onCancel={() => setRotating(undefined)}
        onConfirm={async () => { if (!rotating) return; const r = await devApi.rotateWebhook(rotating.id); setRotating(undefined); setSecret(r.secret); }}>
        <p>{s('rotateBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog open={deleting !== undefined} title={s('delTitle', { url: deleting?.url ?? '' })} confirmLabel={s('del')} danger typeToConfirm={s('word')} onCancel={() => setDeleting(undefined)}
        onConfirm={async () => { if (!deleting) return; await devApi.deleteWebhook(deleting.id); setDeleting(undefined); list.reload(); }}>
        <p>{s('delBody')}</p>
      </ConfirmDialog>
    </>
  );
}
