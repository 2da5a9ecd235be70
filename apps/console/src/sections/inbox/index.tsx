import { useCallback, useEffect, useState } from 'react';
import { Badge, Page, Tabs } from '../../kit/index.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { useCan } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';
import { inboxApi, useInboxSocket, type Assigned, type Conversation, type InboxEvent, type Message } from './api.ts';
import { QuickReplies } from './QuickReplies.tsx';
import { preview, Thread } from './Thread.tsx';
import { strings } from './strings.ts';

const same = (a: { accountId: string; openid: string }, b: { accountId: string; openid: string }) => a.accountId === b.accountId && a.openid === b.openid;

/** The customer-service inbox: conversations (live over the merchant socket), a thread, quick replies. */
export default function Inbox(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const can = useCan();
  const [assigned, setAssigned] = useState<Assigned>('all');
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const list = useAsync(() => inboxApi.list(assigned, status), [assigned, status]);
  const quick = useAsync(() => inboxApi.quickReplies());
  const staff = useAsync(() => (can('team') ? inboxApi.staff() : Promise.resolve(undefined)));
  const [current, setCurrent] = useState<Conversation>();
  const [incoming, setIncoming] = useState<Message[]>([]);

  const onEvent = useCallback(
    (e: InboxEvent) => {
      if (current && current.accountId === e.message.accountId && current.openid === e.openid) setIncoming((old) => [...old, e.message]);
      void list.reload();
      if (current && current.accountId === e.message.accountId && current.openid === e.openid) void inboxApi.get(current).then(setCurrent);
    },
    [current, list],
  );
  useInboxSocket(onEvent);
  useEffect(() => setIncoming([]), [current?.accountId, current?.openid]);

  const changed = (c: Conversation) => {
    setCurrent(c);
    void list.reload();
  };
  const rows = list.data ?? [];
  return (
    <Page title={t('inbox')} description={s('intro')}>
      <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <section aria-label={s('conversations')} style={{ flex: '1 1 280px', maxWidth: current ? 380 : undefined, display: current ? undefined : 'block' }} className={current ? 'inbox-list has-current' : 'inbox-list'}>
          <Tabs label={s('filter')} value={assigned} onChange={setAssigned} tabs={[{ key: 'all', label: s('all') }, { key: 'me', label: s('me') }, { key: 'unassigned', label: s('unassigned') }]} />
          <Tabs label={s('filter')} value={status} onChange={setStatus} tabs={[{ key: 'open', label: s('open') }, { key: 'closed', label: s('closed') }]} />
          {list.error ? <p className="field-error">{String(list.error)}</p> : null}
          {!list.loading && rows.length === 0 ? <p className="muted">{status === 'open' ? s('empty') : s('emptyClosed')}</p> : null}
          <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 6 }}>
            {rows.map((c) => (
              <li key={`${c.accountId}/${c.openid}`}>
                <button
                  type="button"
                  className="card"
                  aria-current={current && same(current, c) ? 'true' : undefined}
                  onClick={() => setCurrent(c)}
                  style={{ width: '100%', textAlign: 'left', padding: 10, margin: 0, cursor: 'pointer', background: current && same(current, c) ? '#e7f8ee' : undefined }}
                >
                  <div className="actions" style={{ justifyContent: 'space-between' }}>
                    <strong>{c.remark || c.consumer.nickname}</strong>
                    <span className="actions">
                      {c.needsAgent ? <Badge tone="warning">{s('needsAgent')}</Badge> : null}
                      {c.unread > 0 ? <Badge tone="info">{s('unread', { n: c.unread })}</Badge> : null}
                    </span>
                  </div>
                  <div className="muted" style={{ fontSize: 13, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{preview(c.lastMessage, s)}</div>
                  <div className="muted" style={{ fontSize: 12 }}>
                    {c.accountName}
                    {c.assignee ? ` · ${c.assignee.name}` : ''}
                  </div>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <div style={{ flex: '2 1 360px', minWidth: 0 }}>
          {current ? (
            <Thread conv={current} incoming={incoming} quick={quick.data ?? []} staff={staff.data} onChanged={changed} onRead={() => void list.reload()} onBack={() => setCurrent(undefined)} />
          ) : (
            <p className="muted">{s('pick')}</p>
          )}
          <QuickReplies items={quick.data ?? []} onChanged={() => void quick.reload()} />
        </div>
      </div>
    </Page>
  );
}
