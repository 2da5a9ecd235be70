import type { ReactNode } from 'react';
import { imageSrc, webviewPath, type Message } from '../lib/api.ts';
import { useT } from '../lib/i18n.ts';
import { navigate } from '../lib/router.ts';
import { Avatar, Icon } from '../ui.tsx';

/** Opens a URL an account sent: inside the client's web view. */
const openUrl = (url: string, accountId: string) => navigate(webviewPath(url, accountId));

function Card({ url, accountId, children, label }: { url: string | undefined; accountId: string; children: ReactNode; label: string }) {
  if (!url) return <div className="card-msg">{children}</div>;
  return (
    <button type="button" className="card-msg card-button" aria-label={label} onClick={() => openUrl(url, accountId)}>
      {children}
    </button>
  );
}

function Body({ m }: { m: Message }) {
  const t = useT();
  const c = m.content;
  switch (c.type) {
    case 'text':
      return <div className="bubble">{c.content}</div>;
    case 'image': {
      const src = imageSrc(c);
      return src ? <img className="bubble-image" src={src} alt={t.image} loading="lazy" /> : <div className="bubble">{t.image}</div>;
    }
    case 'location':
      return (
        <div className="bubble location-msg">
          <span className="location-pin" aria-hidden="true"><Icon name="pin" size={16} /> </span>
          <strong>{c.label || t.location}</strong>
          <div className="muted small">
            {c.latitude.toFixed(5)}, {c.longitude.toFixed(5)}
          </div>
        </div>
      );
    case 'link':
      return (
        <Card url={c.url} accountId={m.accountId} label={c.title}>
          <span className="card-title">{c.title}</span>
          {c.description ? <span className="card-desc">{c.description}</span> : null}
          <span className="card-foot">{t.link}</span>
        </Card>
      );
    case 'news': {
      const [first, ...rest] = c.articles;
      if (!first) return null;
      return (
        <div className="news-msg">
          <button type="button" className="news-cover" aria-label={first.title} onClick={() => first.url && openUrl(first.url, m.accountId)}>
            {first.picUrl ? <img src={first.picUrl} alt="" loading="lazy" /> : null}
            <span className="news-cover-title">{first.title}</span>
          </button>
          {rest.length === 0 && first.description ? <p className="card-desc news-desc">{first.description}</p> : null}
          {rest.map((a, i) => (
            <button key={i} type="button" className="news-item" aria-label={a.title} onClick={() => a.url && openUrl(a.url, m.accountId)}>
              <span className="news-item-title">{a.title}</span>
              {a.picUrl ? <img src={a.picUrl} alt="" loading="lazy" /> : null}
            </button>
          ))}
        </div>
      );
    }
    case 'template':
      return (
        <div className="card-msg template-msg">
          <span className="card-title">{c.title}</span>
          <dl className="template-data">
            {Object.entries(c.data).map(([key, v]) => (
              <div key={key} className="template-row">
                <dt>{key}</dt>
                <dd style={v.color ? { color: v.color } : undefined}>{v.value}</dd>
              </div>
            ))}
          </dl>
          {c.url ? (
            <button type="button" className="card-foot card-link" onClick={() => c.url && openUrl(c.url, m.accountId)}>
              {t.details} ›
            </button>
          ) : null}
        </div>
      );
    case 'voice':
      return <div className="bubble">{t.voice}</div>;
    case 'video':
      return <div className="bubble">{t.video} {c.title ?? ''}</div>;
    case 'music':
      return <div className="bubble">{t.music} {c.title ?? ''}</div>;
    default:
      return null;
  }
}

/** One message of a thread: a system notice, or a bubble/card on the consumer's (right) or account's (left) side. */
export function MessageItem({ m, account }: { m: Message; account: { name: string; avatarUrl: string | null } }) {
  if (m.content.type === 'system') {
    return (
      <li className="notice" role="note">
        {m.content.content}
      </li>
    );
  }
  const mine = m.direction === 'in';
  return (
    <li className={mine ? 'msg mine' : 'msg theirs'} data-type={m.content.type}>
      {mine ? null : <Avatar name={account.name} url={account.avatarUrl} size={38} />}
      <div className="msg-body">
        <Body m={m} />
      </div>
    </li>
  );
}
