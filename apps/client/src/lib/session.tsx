import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, type Consumer } from './api.ts';
import { realtime } from './realtime.ts';

interface SessionState {
  /** undefined while loading, null when signed out. */
  me: Consumer | null | undefined;
  setMe(me: Consumer | null): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMeState] = useState<Consumer | null | undefined>(undefined);
  const setMe = useCallback((c: Consumer | null) => setMeState(c), []);

  useEffect(() => {
    api.session().then((s) => setMeState(s.consumer), () => setMeState(null));
  }, []);

  useEffect(() => {
    if (me) realtime.start();
    else realtime.stop();
  }, [me]);

  const signOut = useCallback(async () => {
    await api.signOut().catch(() => undefined);
    setMeState(null);
  }, []);

  return <SessionContext value={{ me, setMe, signOut }}>{children}</SessionContext>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}
