import { useEffect, useSyncExternalStore } from 'react';
import { api, type Message, type ThreadSummary } from './api.ts';
import { useMessages } from './realtime.ts';

/** The chats list, shared by the Chats page and the tab bar's unread badge; kept current by the socket. */

let threads: ThreadSummary[] | undefined;
let failed = false;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());
/** The thread on screen: its new messages are read as they arrive. */
let openThread: string | undefined;

export const threadStore = {
  async refresh(): Promise<void> {
    try {
      threads = await api.threads();
      failed = false;
    } catch {
      failed = true;
    }
    emit();
  },
  setOpen(accountId: string | undefined): void {
    openThread = accountId;
    if (accountId) threadStore.clearUnread(accountId);
  },
  clearUnread(accountId: string): void {
    if (!threads) return;
    threads = threads.map((t) => (t.account.id === accountId ? { ...t, unread: 0 } : t));
    emit();
  },
  onMessage(m: Message): void {
    const known = threads?.find((t) => t.account.id === m.accountId);
    if (!threads || !known) {
      void threadStore.refresh();
      return;
    }
    const unread = m.direction === 'out' && m.accountId !== openThread ? known.unread + 1 : known.unread;
    const updated = { ...known, lastMessage: m, unread };
    threads = [updated, ...threads.filter((t) => t !== known)];
    emit();
  },
  reset(): void {
    threads = undefined;
    emit();
  },
};

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
};

export function useThreads(): { threads: ThreadSummary[] | undefined; failed: boolean } {
  const list = useSyncExternalStore(subscribe, () => threads);
  const f = useSyncExternalStore(subscribe, () => failed);
  useEffect(() => {
    if (threads === undefined) void threadStore.refresh();
  }, []);
  return { threads: list, failed: f };
}

/** Mount once (in the signed-in shell): feeds socket messages into the store. */
export function useThreadFeed(): void {
  useMessages(threadStore.onMessage);
}
