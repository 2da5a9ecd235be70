import { useEffect, useState } from 'react';
import { api, type PublicAccount } from '../lib/api.ts';
import { useT } from '../lib/i18n.ts';
import { Avatar, Link, TopBar } from '../ui.tsx';
import { SuspendedTag } from './AccountSafety.tsx';

/** Search official accounts by name; a result opens its profile. */
export function SearchPage({ initial }: { initial: string }) {
  const t = useT();
  const [q, setQ] = useState(initial);
  const [results, setResults] = useState<PublicAccount[] | undefined>();
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api.searchAccounts(q.trim()).then(
        (r) => live && setResults(r),
        () => live && setResults([]),
      );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [q]);
  return (
    <div className="page">
      <TopBar title={t.searchAccounts} back="/discover" />
      <form className="searchbar" role="search" onSubmit={(e) => e.preventDefault()}>
        <label className="visually-hidden" htmlFor="account-search">
          {t.searchAccounts}
        </label>
        <input id="account-search" type="search" placeholder={t.searchPlaceholder} value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
      </form>
      {results && results.length === 0 ? <p className="empty">{t.noResults}</p> : null}
      <ul className="list" aria-label={t.searchAccounts}>
        {results?.map((a) => (
          <li key={a.id}>
            <Link to={`/account/${a.id}`} className="list-row">
              <Avatar name={a.name} url={a.avatarUrl} />
              <span className="row-main">
                <span className="row-title">{a.name}<SuspendedTag account={a} /></span>
                <span className="row-sub">{a.description || (a.type === 'service' ? t.serviceAccount : t.subscriptionAccount)}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
