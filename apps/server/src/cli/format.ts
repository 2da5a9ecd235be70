/** Readable lines for the simulator's answers (the CLI prints JSON instead with --json). */

export interface MessageJson {
  id: string;
  direction: 'in' | 'out';
  source: string;
  createdAt: string;
  content: { type: string; [field: string]: unknown };
}

export interface OutcomeJson {
  openid: string;
  sent?: MessageJson;
  replies: MessageJson[];
  delivery: { outboxId: string; status: string; attempts: number; lastError: string | null }[];
}

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** One message's content on one or more lines, without the arrow. */
export function describeContent(c: MessageJson['content']): string {
  switch (c.type) {
    case 'text':
    case 'system':
      return str(c.content);
    case 'image':
      return str(c.url) || `media ${str(c.mediaId)}`;
    case 'voice':
    case 'video':
      return `media ${str(c.mediaId)}${c.title ? ` ${str(c.title)}` : ''}`;
    case 'music':
      return `${str(c.title)} ${str(c.musicUrl)}`.trim();
    case 'location':
      return `${str(c.latitude)},${str(c.longitude)}${c.label ? ` ${str(c.label)}` : ''}`;
    case 'link':
      return `${str(c.title)} <${str(c.url)}>`;
    case 'news': {
      const articles = Array.isArray(c.articles) ? (c.articles as Record<string, unknown>[]) : [];
      return articles.map((a) => [str(a.title), a.description ? ` — ${str(a.description)}` : '', a.url ? ` <${str(a.url)}>` : ''].join('')).join('\n         ');
    }
    case 'template':
      return str(c.title);
    case 'event':
      return `${str(c.event)}${c.eventKey ? ` ${str(c.eventKey)}` : ''}`;
    default:
      return JSON.stringify(c);
  }
}

export const formatMessage = (m: MessageJson) => `${m.direction === 'out' ? '←' : '→'} [${m.content.type}] ${describeContent(m.content)}`;

/** What the consumer saw after an action, and any push that did not get through. */
export function formatOutcome(o: OutcomeJson): string {
  const lines: string[] = [];
  if (o.sent) lines.push(formatMessage(o.sent));
  for (const d of o.delivery) {
    if (d.status === 'dead') lines.push(`✗ push ${d.outboxId} failed after ${d.attempts} attempt(s): ${d.lastError ?? 'unknown error'}`);
    else if (d.status === 'pending') lines.push(`… push ${d.outboxId} still pending after ${d.attempts} attempt(s)${d.lastError ? `: ${d.lastError}` : ''}`);
    else if (d.attempts > 1) lines.push(`· push ${d.outboxId} delivered on attempt ${d.attempts}`);
  }
  for (const m of o.replies) lines.push(formatMessage(m));
  if (o.replies.length === 0) lines.push('(no reply)');
  return lines.join('\n');
}
