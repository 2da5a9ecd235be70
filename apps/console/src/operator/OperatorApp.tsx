import { Suspense, lazy, useCallback, useEffect, useState, type ComponentType, type LazyExoticComponent } from 'react';
import { ApiError } from '../lib/api.ts';
import { common, setLang, useLang, useStrings, type Lang } from '../lib/i18n.ts';
import { href, matchPath, onLinkClick, useLocation } from '../lib/router.ts';
import { Card, Loading, Page, ToastProvider } from '../kit/index.ts';
import { operatorApi } from './api.ts';
import { OperatorSignIn } from './SignIn.tsx';
import { ops, type OpsKey } from './strings.ts';
import './operator.css';

interface OpsRoute {
  path: string;
  page: LazyExoticComponent<ComponentType>;
  label: OpsKey;
}

/** The operator area's pages (under /console/operator), in navigation order. */
const OPS_ROUTES: readonly OpsRoute[] = [
  { path: '/operator', page: lazy(() => import('./Merchants.tsx')), label: 'navMerchants' },
  { path: '/operator/overview', page: lazy(() => import('./Overview.tsx')), label: 'navOverview' },
  { path: '/operator/reports', page: lazy(() => import('./Reports.tsx')), label: 'navReports' },
];

/** The operator admin: its own sign-in (session `lj_o`), top bar and navigation, separate from the merchant shell. */
export function OperatorApp() {
  const t = useStrings(common);
  const s = useStrings(ops);
  const lang = useLang();
  const { path } = useLocation();
  const [me, setMe] = useState<{ email: string } | null | undefined>(undefined);
  const [navOpen, setNavOpen] = useState(false);
  const reload = useCallback(async () => {
    try {
      setMe(await operatorApi.me());
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 403)) setMe(null);
      else throw e;
    }
  }, []);
  useEffect(() => void reload(), [reload]);
  useEffect(() => {
    document.title = s('appName');
  }, [s]);
  if (me === undefined) return <Loading />;
  if (me === null) return <OperatorSignIn onSignedIn={reload} />;
  const current = OPS_ROUTES.find((r) => matchPath(r.path, path.replace(/\/$/, '') || '/'));
  const P = current?.page;
  return (
    <ToastProvider>
      <div className="shell">
        <header className="topbar ops-topbar">
          <button type="button" className="nav-toggle" aria-controls="ops-nav" aria-expanded={navOpen} onClick={() => setNavOpen((o) => !o)}>
            {navOpen ? t('closeMenu') : t('openMenu')}
          </button>
          <span className="brand">{s('appName')}</span>
          <span className="spacer" />
          <span className="user" data-testid="operator-email">{me.email}</span>
          <label className="lang">
            <span className="sr-only">{t('language')}</span>
            <select aria-label={t('language')} value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
              <option value="zh-CN">中文</option>
              <option value="en">English</option>
            </select>
          </label>
          <button type="button" className="btn btn-ghost" onClick={() => void operatorApi.signOut().finally(() => setMe(null))}>
            {t('signOut')}
          </button>
        </header>
        <div className="shell-body">
          <nav id="ops-nav" className={`nav${navOpen ? ' open' : ''}`} aria-label={t('navigation')} onClick={(e) => (e.target as HTMLElement).closest('a') && setNavOpen(false)}>
            <ul>
              {OPS_ROUTES.map((r) => (
                <li key={r.path}>
                  <a href={href(r.path)} aria-current={current?.path === r.path ? 'page' : undefined} onClick={(e) => onLinkClick(e, r.path)}>
                    {s(r.label)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main className="content">
            <Suspense fallback={<Loading />}>
              {P ? (
                <P />
              ) : (
                <Page title="404">
                  <Card>
                    <p>{t('notFound')}</p>
                  </Card>
                </Page>
              )}
            </Suspense>
          </main>
        </div>
      </div>
    </ToastProvider>
  );
}
