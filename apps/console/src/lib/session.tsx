import { createContext, useContext } from 'react';
import type { Me, Permission } from './api.ts';

/** The signed-in member (from GET /api/v1/merchant/me) and a way to reload it. */
export interface Session {
  me: Me;
  reload(): Promise<void>;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the signed-in shell');
  return s;
}

/** Whether the member's role has `perm` (for hiding UI; the server enforces it regardless). */
export function useCan(): (perm: Permission) => boolean {
  const { me } = useSession();
  return (perm) => me.permissions.includes(perm);
}
