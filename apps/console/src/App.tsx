import { Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, auth, type Me } from './lib/api.ts';
import { common, useStrings } from './lib/i18n.ts';
import { matchPath, useLocation } from './lib/router.ts';
import { SessionContext, type Session } from './lib/session.tsx';
import { Card, Loading, Page, ToastProvider } from './kit/index.ts';
import { ROUTES } from './routes.tsx';
import { Header } from './shell/Header.tsx';
import { Nav } from './shell/Nav.tsx';
import { SignIn } from './shell/SignIn.tsx';

/** The page for the current path (from ROUTES), or not-found / forbidden. */
function CurrentPage({ me }: { me: Me }) {
  const t = useStrings(common);
  const { path } = useLocation();
  for (const r of ROUTES) {
    const params = matchPath(r.path, path);
    if (!params) continue;
    if (r.permission && !me.permissions.includes(r.permission)) {
      return (
        <Page title={t(r.nav?.label ?? 'overview')}>
          <Card>
            <p role="alert">{t('forbidden')}</p>
          </Card>
        </Page>
      );
    }
    const P = r.page;
    return <P params={params} />;
  }
  return (
    <Page title="404">
      <Card>
        <p>{t('notFound')}</p>
      </Card>
    </Page>
  );
}

/** Signed out: the sign-in / sign-up page; signed in: header, navigation and the current page. */
export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [navOpen, setNavOpen] = useState(false);
  const reload = useCallback(async () => {
    try {
      setMe(await auth.me());
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setMe(null);
      else throw e;
    }
  }, []);
  useEffect(() => void reload(), [reload]);
  if (me === undefined) return <Loading />;
  if (me === null) return <SignIn onSignedIn={reload} />;
  const session: Session = {
    me,
    reload,
    signOut: async () => {
      await auth.signOut().catch(() => undefined);
      setMe(null);
    },
  };
  return (
    <SessionContext.Provider value={session}>
      <ToastProvider>
        <div className="shell">
          <Header navOpen={navOpen} onToggleNav={() => setNavOpen((o) => !o)} />
          <div className="shell-body">
            <Nav open={navOpen} onNavigate={() => setNavOpen(false)} />
            <main className="content">
              <Suspense fallback={<Loading />}>
                <CurrentPage me={me} />
              </Suspense>
            </main>
          </div>
        </div>
      </ToastProvider>
    </SessionContext.Provider>
  );
}
