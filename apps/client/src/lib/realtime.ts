import { useEffect, useSyncExternalStore } from 'react';
import type { Message } from './api.ts';

/** The consumer's WebSocket (`/api/v1/ws`, cookie auth): new messages in real time, reconnecting with backoff. */

type MessageListener = (m: Message) => void;
const messageListeners = new Set<MessageListener>();
/** Listeners of other event types (e.g. `dm`, person-to-person messages), by type. */
type EventListener = (event: Record<string, unknown>) => void;
const eventListeners = new Map<string, Set<EventListener>>();
const statusListeners = new Set<() => void>();
let socket: WebSocket | undefined;
let wanted = false;
let attempt = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
let connected = false;

const setConnected = (v: boolean) => {
  connected = v;
  statusListeners.forEach((l) => l());
};

function open(): void {
  if (!wanted || socket) return;
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`;
  const ws = new WebSocket(url);
  socket = ws;
  ws.onmessage = (ev) => {
    let data: { type?: string; message?: Message };
    try {
      data = JSON.parse(String(ev.data)) as { type?: string; message?: Message };
    } catch {
      return;
    }
    if (data.type === 'hello') {
      attempt = 0;
      setConnected(true);
    } else if (data.type === 'message' && data.message) {
      const m = data.message;
      messageListeners.forEach((l) => l(m));
    } else if (data.type) {
      const ev = data as Record<string, unknown>;
      eventListeners.get(data.type)?.forEach((l) => l(ev));
    }
  };
  ws.onclose = (ev) => {
    socket = undefined;
    setConnected(false);
    if (!wanted || ev.code === 4401) return;
    // 0.5 s, 1 s, 2 s … capped at 30 s, with jitter.
    const delay = Math.min(30_000, 500 * 2 ** attempt++) * (0.75 + Math.random() / 2);
    timer = setTimeout(open, delay);
  };
}

/** Connects while signed in; `stop` on sign-out. */
export const realtime = {
  start(): void {
    wanted = true;
    open();
  },
  stop(): void {
    wanted = false;
    if (timer) clearTimeout(timer);
    socket?.close();
    socket = undefined;
  },
  /** Reconnects now (e.g. after a reconnect the caller refetches what it may have missed). */
  onStatus(l: () => void): () => void {
    statusListeners.add(l);
    return () => {
      statusListeners.delete(l);
    };
  },
};

/** Calls `listener` for every new message pushed to this consumer. */
export function useMessages(listener: MessageListener): void {
  useEffect(() => {
    messageListeners.add(listener);
    return () => {
      messageListeners.delete(listener);
    };
  }, [listener]);
}

/** Whether the socket is up (to show "connecting…" and refetch after a reconnect). */
export const useConnected = (): boolean => useSyncExternalStore(realtime.onStatus, () => connected);

/** Subscribes to socket events of one type other than `message` (e.g. `dm`); returns the unsubscribe. */
export function onRealtimeEvent(type: string, listener: EventListener): () => void {
  let set = eventListeners.get(type);
  if (!set) eventListeners.set(type, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
  };
}
