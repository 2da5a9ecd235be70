import { LIMITS } from '../notifications/rules.ts';

/** Whether the merchant may still answer, and until when (the customer-service rule of notifications/cs.ts). */
export interface ReplyWindow {
  /** When the 48 hours after the consumer's last interaction end (null: never interacted). */
  endsAt: string | null;
  /** Customer-service messages still allowed in this window (5 per window). */
  repliesLeft: number;
  canReply: boolean;
  /** Why a reply is refused: the reply box shows it. */
  reason: 'WINDOW_EXPIRED' | 'REPLY_LIMIT' | 'UNSUBSCRIBED' | 'BLOCKED' | null;
}

export function computeWindow(f: { subscribed: boolean; blocked: boolean; lastInteractionAt: Date | null; csSent: number }, now = Date.now()): ReplyWindow {
  const endsAt = f.lastInteractionAt ? new Date(f.lastInteractionAt.getTime() + LIMITS.csWindowMs) : null;
  const repliesLeft = Math.max(0, LIMITS.csPerWindow - f.csSent);
  let reason: ReplyWindow['reason'] = null;
  if (!f.subscribed) reason = 'UNSUBSCRIBED';
  else if (f.blocked) reason = 'BLOCKED';
  else if (!endsAt || endsAt.getTime() < now) reason = 'WINDOW_EXPIRED';
  else if (repliesLeft === 0) reason = 'REPLY_LIMIT';
  return { endsAt: endsAt?.toISOString() ?? null, repliesLeft: reason === 'WINDOW_EXPIRED' ? 0 : repliesLeft, canReply: reason === null, reason };
}
