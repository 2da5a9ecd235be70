import { useEffect, useState, type FormEvent } from 'react';
import { Badge, Button, Card, LoadMore, TextField, useToast } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { useCan } from '../../lib/session.tsx';
import type { Message } from '../inbox/api.ts';
import { followersApi, utf8Bytes, type Follower, type Tag } from './api.ts';
import { sceneLabel, strings } from './strings.ts';

const text = (m: Message) => (m.content.type === 'text' || m.content.type === 'system' ? String(m.content.content ?? '') : `[${m.content.type === 'event' ? String(m.content.event) : m.content.type}]`);

/** A follower's profile: follow time and scene, tags, remark, blacklist, and the conversation history. */
export function Profile({ accountId, openid, tags, onChanged, onClose }: { accountId: string; openid: string; tags: Tag[]; onChanged: () => void; onClose: () => void }) {
  const s = useStrings(strings);
  const can = useCan();
  const toast = useToast();
  const [f, setF] = useState<Follower>();
  const [remark, setRemark] = useState('');
  const [remarkError, setRemarkError] = useState<string>();
  const [messages, setMessages] = useState<Message[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void followersApi.get(accountId, openid).then((x) => {
      if (!live) return;
      setF(x);
      setRemark(x.remark);
    });
    void followersApi.messages(accountId, openid).then((m) => {
      if (!live) return;
      setMessages(m);
      setHasMore(m.length === 20);
    });
    return () => {
      live = false;
    };
  }, [accountId, openid]);

  const update = (x: Follower) => {
    setF(x);
    onChanged();
  };
  async function saveRemark(e: FormEvent) {
    e.preventDefault();
    if (utf8Bytes(remark) > 30) return setRemarkError(s('remarkTooLong'));
    setRemarkError(undefined);
    try {
      update(await followersApi.remark(accountId, openid, remark));
      toast(s('remarkSaved'), 'success');
    } catch (err) {
      setRemarkError(errorText(err));
    }
  }
  async function toggleTag(tag: Tag, on: boolean) {
    try {
      await followersApi.tagging(accountId, { tagId: tag.id, openids: [openid], action: on ? 'add' : 'remove' });
      update(await followersApi.get(accountId, openid));
    } catch (err) {
      toast(errorText(err), 'error');
    }
  }
  async function older() {
    const m = await followersApi.messages(accountId, openid, messages[0]?.id);
    setMessages((old) => [...m, ...old]);
    setHasMore(m.length === 20);
  }

  const name = f ? f.remark || f.nickname : openid;
  return (
    <section role="dialog" aria-label={s('profile')}>
      <Card title={`${s('profile')} · ${name}`} actions={<Button variant="ghost" onClick={onClose}>{s('close')}</Button>}>
        {!f ? null : (
          <>
            <dl className="kv">
              <div><dt>openid</dt><dd><code>{f.openid}</code></dd></div>
              <div><dt>{s('followTime')}</dt><dd>{new Date(f.subscribeTime).toLocaleString()} · {sceneLabel(s, f.subscribeScene)}{f.qrScene ? ` (${f.qrScene})` : ''}</dd></div>
              <div><dt>{s('lastSeen')}</dt><dd>{f.lastInteractionAt ? new Date(f.lastInteractionAt).toLocaleString() : '—'}</dd></div>
            </dl>
            {f.blockedAccount ? <p className="field-error">{s('blockedAccount')}</p> : null}
            <form onSubmit={(e) => void saveRemark(e)} noValidate className="field-row">
              <TextField label={s('remark')} value={remark} onChange={setRemark} error={remarkError} maxLength={30} />
              <Button type="submit" variant="secondary">{s('saveRemark')}</Button>
            </form>
            <fieldset style={{ border: 0, padding: 0, margin: '12px 0' }}>
              <legend style={{ fontWeight: 500 }}>{s('tags')}</legend>
              <div className="actions" style={{ flexWrap: 'wrap' }}>
                {tags.map((t) => {
                  const on = f.tagIds.includes(t.id);
                  return (
                    <button key={t.id} type="button" className="chip" aria-pressed={on} disabled={!f.subscribed} onClick={() => void toggleTag(t, !on)} style={on ? { background: '#e7f8ee', borderColor: '#07c160' } : undefined}>
                      {t.name}
                    </button>
                  );
                })}
              </div>
            </fieldset>
            <div className="actions" style={{ margin: '12px 0' }}>
              {f.blacklisted ? <Badge tone="danger">{s('blacklisted')}</Badge> : null}
              <Button
                variant={f.blacklisted ? 'secondary' : 'danger'}
                busy={busy}
                disabled={!can('settings')}
                onClick={() => {
                  setBusy(true);
                  void followersApi.blacklist(accountId, openid, !f.blacklisted).then(update, (err: unknown) => toast(errorText(err), 'error')).finally(() => setBusy(false));
                }}
              >
                {f.blacklisted ? s('unblacklist') : s('blacklist')}
              </Button>
              {!can('settings') ? <span className="hint">{s('blacklistNeedsRole')}</span> : null}
            </div>
          </>
        )}
        <h3 style={{ fontSize: 15 }}>{s('history')}</h3>
        <LoadMore hasMore={hasMore} onMore={() => void older()} />
        <ol role="log" aria-label={s('history')} style={{ listStyle: 'none', padding: 0, display: 'grid', gap: 6, maxHeight: 360, overflowY: 'auto' }}>
          {messages.length === 0 ? <li className="muted">{s('noHistory')}</li> : null}
          {messages.map((m) => (
            <li key={m.id} style={{ justifySelf: m.direction === 'out' ? 'end' : 'start', background: m.direction === 'out' ? '#e7f8ee' : '#f0f2f4', borderRadius: 8, padding: '6px 10px', maxWidth: '85%' }}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{text(m)}</span>
              <div className="muted" style={{ fontSize: 11 }}>{new Date(m.createdAt).toLocaleString()}</div>
            </li>
          ))}
        </ol>
      </Card>
    </section>
  );
}
