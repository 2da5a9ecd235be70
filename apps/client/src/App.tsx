import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { matchPath, navigate, useLocation } from './lib/router.ts';
import { SessionProvider, useSession } from './lib/session.tsx';
import { useT } from './lib/i18n.ts';
import { threadStore, useThreadFeed, useThreads } from './lib/threads.ts';
import { TabBar, Link } from './ui.tsx';
import { SignInPage } from './pages/SignIn.tsx';
import { ChatsPage } from './pages/Chats.tsx';
import { ChatPage } from './pages/Chat.tsx';
import { AccountPage } from './pages/Account.tsx';
import { SearchPage } from './pages/Search.tsx';
import { DiscoverPage } from './pages/Discover.tsx';
import { MePage } from './pages/Me.tsx';
import { WebViewPage } from './webview/WebViewPage.tsx';
import { FriendsPage } from './social/FriendsPage.tsx';
import { DmPage } from './social/DmPage.tsx';
import { dmStore, useDmConversations, useDmFeed } from './social/store.ts';
import { ConsentPage } from './oauth/ConsentPage.tsx';

// The scanner (camera + jsQR) is its own chunk, loaded when the Scan page opens.
const ScanPage = lazy(() => import('./pages/Scan.tsx').then((m) => ({ default: m.ScanPage })));
// Pay (wallet, pay code, Native/H5 pay links) loads on first use.
const WalletPage = lazy(() => import('./pay/WalletPage.tsx').then((m) => ({ default: m.WalletPage })));
const PayCodePage = lazy(() => import('./pay/PayCodePage.tsx').then((m) => ({ default: m.PayCodePage })));
const PayRoutePage = lazy(() => import('./pay/PayRoute.tsx').then((m) => ({ default: m.PayRoutePage })));

export interface RouteMatch {
  params: Record<string, string>;
  query: URLSearchParams;
}

/**
 * The client's routes. To add a page: append `{ path: '/webview', element: ({ query }) => <WebView … /> }`
 * (`:name` segments become `params.name`; the query string is `query`). Options: `tabs: true` shows the
 * bottom tab bar; `public: true` lets signed-out visitors in (others are sent to /signin?next=…).
 * Lazy-load big pages with React's `lazy` as ScanPage does.
 */
export interface Route {
  path: string;
  element: (m: RouteMatch) => ReactNode;
  tabs?: boolean;
  public?: boolean;
}

export const ROUTES: Route[] = [
  { path: '/', element: () => <ChatsPage />, tabs: true },
  { path: '/chats', element: () => <ChatsPage />, tabs: true },
  { path: '/signin', element: ({ query }) => <SignInPage next={query.get('next')} mode={query.get('mode') === 'signup' ? 'signup' : 'signin'} isClientRoute={isClientRoute} />, public: true },
  { path: '/chat/:accountId', element: ({ params }) => <ChatPage key={params.accountId} accountId={params.accountId ?? ''} /> },
  { path: '/account/:accountId', element: ({ params, query }) => <AccountPage key={params.accountId} accountId={params.accountId ?? ''} via={query.get('via')} /> },
  { path: '/discover', element: () => <DiscoverPage />, tabs: true },
  { path: '/search', element: ({ query }) => <SearchPage initial={query.get('q') ?? ''} /> },
  { path: '/scan', element: ({ query }) => <ScanPage forAccount={query.get('account')} menuPath={query.get('path')} /> },
  { path: '/me', element: () => <MePage />, tabs: true },
  { path: '/friends', element: () => <FriendsPage /> },
  { path: '/dm/:friendId', element: ({ params }) => <DmPage key={params.friendId} friendId={params.friendId ?? ''} /> },
  { path: '/webview', element: ({ query }) => <WebViewPage url={query.get('url')} accountId={query.get('account')} /> },
  // A plain page (no tab bar): it also opens inside the web view's iframe during an OAuth login.
  { path: '/oauth/consent', element: ({ query }) => <ConsentPage requestId={query.get('request')} /> },
  { path: '/wallet', element: () => <WalletPage /> },
  { path: '/pay/code', element: () => <PayCodePage /> },
  // A scanned Native code_url and an H5 h5_url (GET; the platform serves the app there).
  { path: '/pay/native/:token', element: ({ params }) => <PayRoutePage key={params.token} kind="native" token={params.token ?? ''} redirectUrl={null} /> },
  { path: '/pay/h5/:token', element: ({ params, query }) => <PayRoutePage key={params.token} kind="h5" token={params.token ?? ''} redirectUrl={query.get('redirect_url')} /> },
  // Other pages (web view, OAuth consent) are added here.
];

/** Whether a pathname is one of the client's pages (else the platform answers it, e.g. /connect/…). */
export function isClientRoute(pathname: string): boolean {
  return ROUTES.some((r) => matchPath(r.path, pathname) !== undefined);
}

function NotFound() {
  const t = useT();
  return (
    <div className="page center-page">
      <p>{t.notFound}</p>
      <Link to="/chats" className="btn">
        {t.goHome}
      </Link>
    </div>
  );
}

function SignedInShell({ children, tabs, pathname }: { children: ReactNode; tabs: boolean; pathname: string }) {
  useThreadFeed();
  useDmFeed();
  const { threads } = useThreads();
  const dms = useDmConversations();
  const unread = (threads?.reduce((n, th) => n + (th.blocked ? 0 : th.unread), 0) ?? 0) + (dms?.reduce((n, c) => n + c.unread, 0) ?? 0);
  return (
    <>
      <main className={tabs ? 'screen with-tabs' : 'screen'}>{children}</main>
      {tabs ? <TabBar pathname={pathname} unread={unread} /> : null}
    </>
  );
}

function Routed() {
  const { pathname, query } = useLocation();
  const { me } = useSession();
  let found: { route: Route; params: Record<string, string> } | undefined;
  for (const route of ROUTES) {
    const params = matchPath(route.path, pathname);
    if (params) {
      found = { route, params };
      break;
    }
  }
  const needsSignIn = me === null && found !== undefined && !found.route.public;
  useEffect(() => {
    if (needsSignIn) navigate(`/signin?next=${encodeURIComponent(pathname + location.search)}`, { replace: true });
  }, [needsSignIn, pathname]);
  useEffect(() => {
    if (me === null) threadStore.reset();
    if (me === null) dmStore.reset();
  }, [me]);

  if (me === undefined) return <div className="screen splash" aria-busy="true" />;
  if (!found) return <main className="screen"><NotFound /></main>;
  const page = <Suspense fallback={<div className="page" aria-busy="true" />}>{found.route.element({ params: found.params, query })}</Suspense>;
  if (found.route.public) return <main className="screen">{page}</main>;
  if (!me) return null;
  return (
    <SignedInShell tabs={found.route.tabs === true} pathname={pathname}>
      {page}
    </SignedInShell>
  );
}

export function App() {
  return (
    <SessionProvider>
      <div className="phone">
        <Routed />
      </div>
    </SessionProvider>
  );
}
