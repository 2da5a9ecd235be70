import { useEffect, useSyncExternalStore } from 'react';
import { onRealtimeEvent } from '../lib/realtime.ts';
import { socialApi, type DmConversation, type DmMessage } from './api.ts';

/** The 1:1 conversations list (shown in Chats), kept current by `dm` events on the socket. */

let conversations: DmConversation[] | undefined;
let openFriend: string | undefined;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());
const messageListeners = new Set<(m: DmMessage) => void>();

export const dmStore = {
  async refresh(): Promise<void> {
    try {
      conversations = await socialApi.conversations();
    } catch {
      conversations ??= [];
    }
    emit();
  },
  setOpen(friendId: string | undefined): void {
    openFriend = friendId;
    if (friendId) dmStore.clearUnread(friendId);
  },
  clearUnread(friendId: string): void {
    if (!conversations) return;
    conversations = conversations.map((c) => (c.friend.id === friendId ? { ...c, unread: 0 } : c));
    emit();
  },
  onMessage(m: DmMessage): void {
    messageListeners.forEach((l) => l(m));
    const known = conversations?.find((c) => c.friend.id === m.senderId || c.friend.id === m.recipientId);
    if (!conversations || !known) {
      void dmStore.refresh();
      return;
    }
    const incoming = m.senderId === known.friend.id;
    const unread = incoming && openFriend !== known.friend.id ? known.unread + 1 : known.unread;
    conversations = [{ ...known, lastMessage: m, unread }, ...conversations.filter((c) => c !== known)];
    emit();
  },
  reset(): void {
    conversations = undefined;
    emit();
  },
};

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
};

export function useDmConversations(): DmConversation[] | undefined {
  const list = useSyncExternalStore(subscribe, () => conversations);
  useEffect(() => {
    if (conversations === undefined) void dmStore.refresh();
  }, []);
  return list;
}

/** Calls `listener` for every person-to-person message pushed to this consumer (sent or received). */
export function useDmMessages(listener: (m: DmMessage) => void): void {
  useEffect(() => {
    messageListeners.add(listener);
    return () => {
      messageListeners.delete(listener);
    };
  }, [listener]);
}

/** Mount once in the signed-in shell: routes `{type:'dm'}` socket events into the store. */
export function useDmFeed(): void {
  useEffect(
    () =>
      onRealtimeEvent('dm', (ev) => {
        const m = ev.message as DmMessage | undefined;
        if (m && typeof m.id === 'string') dmStore.onMessage(m);
      }),
    [],
  );
}
