import { useT } from '../lib/i18n.ts';
import { ChatRow, Icon, Link, shortTime } from '../ui.tsx';
import type { DmContent } from './api.ts';
import { useDmConversations } from './store.ts';
import { useSocialStrings, type SocialStrings } from './strings.ts';

const preview = (c: DmContent, s: SocialStrings) => (c.type === 'text' ? c.content : c.type === 'account_card' ? `${s.accountCard} ${c.name}` : `${s.pageCard} ${c.title}`);

/** Friends' 1:1 conversations at the top of the Chats list (newest first), with a link to Friends. */
export function DmSection() {
  const t = useT();
  const s = useSocialStrings();
  const conversations = useDmConversations();
  const active = conversations?.filter((c) => c.lastMessage) ?? [];
  return (
    <ul className="list dm-list" aria-label={s.friends}>
      {active.map((c) => (
        <li key={c.friend.id}>
          <ChatRow
            to={`/dm/${c.friend.id}`}
            name={c.friend.nickname}
            avatarUrl={c.friend.avatarUrl}
            unread={c.unread}
            label={`${c.friend.nickname}${c.unread ? `, ${t.unread(c.unread)}` : ''}`}
            time={c.lastMessage ? shortTime(c.lastMessage.createdAt) : ''}
            preview={c.lastMessage ? preview(c.lastMessage.content, s) : ''}
          />
        </li>
      ))}
      <li>
        <Link to="/friends" className="list-row" label={s.friends}>
          <span className="avatar avatar-letter" aria-hidden="true" style={{ width: 44, height: 44 }}>
            <Icon name="friends" />
          </span>
          <span className="row-main">
            <span className="row-title">{s.friends}</span>
          </span>
        </Link>
      </li>
    </ul>
  );
}
