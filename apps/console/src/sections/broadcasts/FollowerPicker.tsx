import { useEffect, useState } from 'react';
import { Badge, Button, TextField } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import type { BroadcastApi, Recipient } from './api.ts';
import { strings } from './strings.ts';

/** Finds a subscribed follower by nickname or openid and picks one (for a preview or a template message). */
export function FollowerPicker({ bapi, value, onChange, error }: { bapi: BroadcastApi; value: Recipient | undefined; onChange: (r: Recipient | undefined) => void; error?: string | undefined }) {
  const s = useStrings(strings);
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Recipient[]>();
  const [failure, setFailure] = useState<string>();
  // Before a search: the 5 newest followers; after: up to 20 matches.
  const shown = found && !q.trim() ? found.slice(0, 5) : found;
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      bapi.recipients(q).then(
        (r) => live && (setFound(r), setFailure(undefined)),
        (e: unknown) => live && setFailure(errorText(e)),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q, bapi]);
  return (
    <div className="follower-picker">
      <TextField label={s('findFollower')} value={q} onChange={setQ} hint={s('findHint')} error={error ?? failure} type="search" autoComplete="off" onKeyDown={(e) => e.key === 'Enter' && e.preventDefault()} />
      {value ? <p role="status">{s('chosen', { name: value.nickname })}</p> : null}
      {shown && shown.length === 0 ? <p className="muted">{s('noMatch')}</p> : null}
      {shown && shown.length > 0 ? (
        <ul className="picker-list" style={{ listStyle: 'none', padding: 0, margin: 0, display: 'grid', gap: 6, maxHeight: 220, overflowY: 'auto' }}>
          {shown.map((r) => (
            <li key={r.openid} style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
              <Button variant={value?.openid === r.openid ? 'primary' : 'secondary'} aria-pressed={value?.openid === r.openid} aria-label={s('choose', { name: r.nickname })} onClick={() => onChange(r)}>
                {r.nickname}
              </Button>
              <code className="muted" style={{ fontSize: 12, overflowWrap: 'anywhere' }}>{r.openid}</code>
              {r.blocked ? <Badge tone="warning">{s('blockedBadge')}</Badge> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
