import { useEffect, useState } from 'react';
import { api, type Account } from '../lib/api.ts';
import { common, useStrings } from '../lib/i18n.ts';
import { href, onLinkClick, useLocation } from '../lib/router.ts';
import { useCan } from '../lib/session.tsx';
import { ROUTES } from '../routes.tsx';

/** Reloads the navigation's account list (after creating or renaming an account). */
export const ACCOUNTS_CHANGED = 'lj:accounts-changed';
export const announceAccountsChanged = () => window.dispatchEvent(new Event(ACCOUNTS_CHANGED));

function Link({ to, label, path }: { to: string; label: string; path: string }) {
  return (
    <a href={href(to)} aria-current={path === to ? 'page' : undefined} onClick={(e) => onLinkClick(e, to)}>
      {label}
    </a>
  );
}

/** The left navigation: every route of ROUTES with `nav` that the role may use; account pages per account. */
export function Nav({ open, onNavigate }: { open: boolean; onNavigate: () => void }) {
  const t = useStrings(common);
  const can = useCan();
  const { path } = useLocation();
  const [accounts, setAccounts] = useState<Account[]>([]);
  useEffect(() => {
    const load = () => void api.get<Account[]>('/api/v1/merchant/accounts').then(setAccounts, () => setAccounts([]));
    load();
    window.addEventListener(ACCOUNTS_CHANGED, load);
    return () => window.removeEventListener(ACCOUNTS_CHANGED, load);
  }, []);
  const visible = ROUTES.filter((r) => r.nav && (!r.permission || can(r.permission)));
  const main = visible.filter((r) => r.nav?.place === 'main');
  const perAccount = visible.filter((r) => r.nav?.place === 'account');
  const [first, ...rest] = main;
  return (
    <nav id="console-nav" className={`nav${open ? ' open' : ''}`} aria-label={t('navigation')} onClick={(e) => (e.target as HTMLElement).closest('a') && onNavigate()}>
      <ul>
        {first?.nav ? <li><Link to={first.path} label={t(first.nav.label)} path={path} /></li> : null}
        {perAccount.length > 0 && accounts.length > 0 ? (
          <li className="nav-group">
            <span className="nav-heading">{t('accounts')}</span>
            <ul>
              {accounts.map((a) => (
                <li key={a.id}>
                  <span className="nav-account">{a.name}</span>
                  <ul>
                    {perAccount.map((r) => {
                      const to = r.path.replace(':id', encodeURIComponent(a.id));
                      return r.nav ? <li key={r.path}><Link to={to} label={t(r.nav.label)} path={path} /></li> : null;
                    })}
                  </ul>
                </li>
              ))}
            </ul>
          </li>
        ) : null}
        {rest.map((r) => (r.nav ? <li key={r.path}><Link to={r.path} label={t(r.nav.label)} path={path} /></li> : null))}
      </ul>
    </nav>
  );
}
