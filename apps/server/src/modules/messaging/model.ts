import type { Selectable } from 'kysely';
import type { MessagesTable } from './tables.ts';

export type MessageRow = Selectable<MessagesTable>;

export interface Article {
  title: string;
  description?: string | undefined;
  picUrl?: string | undefined;
  url?: string | undefined;
}

/** The content of a message in a thread, by type (our own JSON shape, not WeChat's XML). */
export type MessageContent =
  | { type: 'text'; content: string }
  | { type: 'image'; mediaId?: string | undefined; url?: string | undefined }
  | { type: 'voice'; mediaId: string }
  | { type: 'video'; mediaId: string; title?: string | undefined; description?: string | undefined }
  | { type: 'music'; title?: string | undefined; description?: string | undefined; musicUrl?: string | undefined; hqMusicUrl?: string | undefined; thumbMediaId?: string | undefined }
  | { type: 'location'; latitude: number; longitude: number; scale: number; label: string }
  | { type: 'link'; title: string; description: string; url: string }
  | { type: 'news'; articles: Article[] }
  | { type: 'template'; templateId: string; title: string; url?: string | undefined; data: Record<string, { value: string; color?: string | undefined }> }
  | { type: 'event'; event: string; eventKey?: string | undefined; [extra: string]: unknown }
  | { type: 'system'; content: string };

export interface MessageView {
  id: string;
  accountId: string;
  direction: 'in' | 'out';
  source: string;
  createdAt: string;
  content: MessageContent;
}

export const presentMessage = (m: MessageRow): MessageView => ({
  id: String(m.id),
  accountId: m.account_id,
  direction: m.direction,
  source: m.source,
  createdAt: m.created_at.toISOString(),
  content: m.content as MessageContent,
});

/** Shown to the consumer when the merchant's server could not be reached (WeChat's wording). */
export const SERVICE_UNAVAILABLE_NOTICE = '该公众号暂时无法提供服务，请稍后再试';
