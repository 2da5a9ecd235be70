import { useEffect, useState, type FormEvent } from 'react';
import { Badge, Button, Card, LoadMore, SelectField, TextField, TextareaField } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { useSession } from '../../lib/session.tsx';
import { inboxApi, type Conversation, type Member, type Message, type QuickReply } from './api.ts';
import { strings, type S } from './strings.ts';

export function preview(m: Message | null, s: S): string {
  if (!m) return '';
  if (m.content.type === 'text' || m.content.type === 'system') return String(m.content.content ?? '');
  if (m.content.type === 'image') return s('image');
  if (m.content.type === 'event' && m.content.event === 'transfer_customer_service') return s('needsAgent');
  return s('other', { type: m.content.type });
}

function windowText(c: Conversation, s: S, now: number): string {
  const w = c.window;
  if (w.reason === 'WINDOW_EXPIRED') return s('expired');
  if (w.reason === 'REPLY_LIMIT') return s('limit');
  if (w.reason === 'UNSUBSCRIBED') return s('unsubscribed');
  if (w.reason === 'BLOCKED') return s('blocked');
  const left = Math.max(0, new Date(w.endsAt ?? 0).getTime() - now);
  return s('timeLeft', { h: Math.floor(left / 3600_000), m: Math.floor((left % 3600_000) / 60_000), n: w.repliesLeft });
}

function Bubble({ m, s }: { m: Message; s: S }) {
  const out = m.direction === 'out';
  const style = { alignSelf: out ? 'flex-end' : 'flex-start', maxWidth: '80%', background: out ? '#e7f8ee' : '#f0f2f4', borderRadius: 10, padding: '8px 12px' } as const;
  if (m.content.type === 'event') return <p className="muted" style={{ alignSelf: 'center', margin: 0, fontSize: 13 }}>{s('transfer')}</p>;
  return (
    <div style={style} data-testid="message" data-direction={m.direction}>
      {m.content.type === 'image' && m.content.url ? <img src={m.content.url} alt={s('image')} style={{ maxWidth: 200 }} /> : <span style={{ whiteSpace: 'pre-wrap' }}>{preview(m, s)}</span>}
      <div className="muted" style={{ fontSize: 11, marginTop: 2 }}>{new Date(m.createdAt).toLocaleString()}</div>
    </div>
  );
}

/** One conversation: history (load older), window notice, reply box with quick replies, assignment. */
export function Thread({ conv, incoming, quick, staff, onChanged, onRead, onBack }: { conv: Conversation; incoming: Message[]; quick: QuickReply[]; staff: Member[] | undefined; onChanged: (c: Conversation) => void; onRead: () => void; onBack: () => void }) {
  const s = useStrings(strings);
  const { me } = useSession();
  const [messages, setMessages] = useState<Message[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [text, setText] = useState('');
  const [imageUrl, setImageUrl] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(Date.now());
  const key = `${conv.accountId}/${conv.openid}`;

  useEffect(() => {
    let live = true;
    setMessages([]);
    setLoading(true);
    void inboxApi.messages(conv).then((m) => {
      if (!live) return;
      setMessages(m);
      setHasMore(m.length === 30);
      setLoading(false);
      const last = m.at(-1);
      if (last && conv.unread > 0) void inboxApi.read(conv, last.id).then(onRead);
    });
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => {
      live = false;
      clearInterval(t);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  useEffect(() => {
    const fresh = incoming.filter((m) => !messages.some((x) => x.id === m.id));
    if (fresh.length === 0) return;
    setMessages((old) => [...old, ...fresh.filter((m) => !old.some((x) => x.id === m.id))]);
    const last = fresh.at(-1);
    if (last) void inboxApi.read(conv, last.id).then(onRead);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [incoming]);

  async function older() {
    setLoading(true);
    const m = await inboxApi.messages(conv, messages[0]?.id);
    setMessages((old) => [...m, ...old]);
    setHasMore(m.length === 30);
    setLoading(false);
  }

  async function send(e: FormEvent, kind: 'text' | 'image') {
    e.preventDefault();
    if (kind === 'text' && !text.trim()) return setError(s('emptyReply'));
    if (kind === 'image' && !/^https?:\/\/\S+$/.test(imageUrl.trim())) return setError(s('badImageUrl'));
    setBusy(true);
    setError(undefined);
    try {
      const m = await inboxApi.reply(conv, kind === 'text' ? { type: 'text', content: text.trim() } : { type: 'image', url: imageUrl.trim() });
      setMessages((old) => (old.some((x) => x.id === m.id) ? old : [...old, m]));
      if (kind === 'text') setText('');
      else setImageUrl('');
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      onChanged(await inboxApi.get(conv));
    }
  }

  const assignOptions = [{ value: '', label: s('nobody') }, ...(staff ?? [{ id: me.user.id, name: me.user.name, role: me.user.role }]).filter((m) => m.role !== 'finance').map((m) => ({ value: m.id, label: m.name }))];
  if (conv.assignee && !assignOptions.some((o) => o.value === conv.assignee?.id)) assignOptions.push({ value: conv.assignee.id, label: conv.assignee.name });
  const name = conv.remark || conv.consumer.nickname;
  return (
    <Card
      title={`${name} · ${conv.accountName}`}
      actions={
        <div className="actions" style={{ flexWrap: 'wrap' }}>
          <Button variant="ghost" onClick={onBack}>{s('back')}</Button>
          {conv.needsAgent ? <Badge tone="warning">{s('needsAgent')}</Badge> : null}
          <SelectField label={s('assignee')} value={conv.assignee?.id ?? ''} options={assignOptions} onChange={(v) => void inboxApi.assign(conv, v || null).then(onChanged, (err: unknown) => setError(errorText(err)))} />
          <Button variant="secondary" onClick={() => void inboxApi.status(conv, conv.status === 'open' ? 'closed' : 'open').then(onChanged)}>{conv.status === 'open' ? s('close') : s('reopen')}</Button>
        </div>
      }
    >
      <LoadMore hasMore={hasMore} loading={loading} onMore={() => void older()} />
      <div role="log" aria-label={s('conversations')} aria-live="polite" style={{ display: 'flex', flexDirection: 'column', gap: 8, maxHeight: 420, overflowY: 'auto', padding: '8px 0' }}>
        {messages.length === 0 && !loading ? <p className="muted">{s('noMessages')}</p> : null}
        {messages.map((m) => <Bubble key={m.id} m={m} s={s} />)}
      </div>
      <p className={conv.window.canReply ? 'hint' : 'field-error'} role="status">{windowText(conv, s, now)}</p>
      <form onSubmit={(e) => void send(e, 'text')} noValidate className="form-grid" style={{ maxWidth: 'none' }}>
        {quick.length > 0 ? (
          <SelectField label={s('insert')} value="" options={[{ value: '', label: '—' }, ...quick.map((q) => ({ value: q.id, label: q.title }))]} onChange={(id) => setText((t) => t + (quick.find((q) => q.id === id)?.content ?? ''))} disabled={!conv.window.canReply} />
        ) : null}
        <TextareaField label={s('replyLabel')} value={text} onChange={setText} error={error} disabled={!conv.window.canReply} rows={3} maxLength={2048} />
        <div className="actions">
          <Button type="submit" variant="primary" busy={busy} disabled={!conv.window.canReply}>{s('send')}</Button>
        </div>
      </form>
      <form onSubmit={(e) => void send(e, 'image')} noValidate className="field-row" style={{ marginTop: 12 }}>
        <TextField label={s('imageUrl')} value={imageUrl} onChange={setImageUrl} disabled={!conv.window.canReply} type="url" />
        <Button type="submit" variant="secondary" disabled={!conv.window.canReply || busy}>{s('sendImage')}</Button>
      </form>
    </Card>
  );
}
