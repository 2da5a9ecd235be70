import type { Article, MessageContent } from '../messaging/model.ts';
import { LIMITS, wx } from './rules.ts';

/** A mass message as the OA API describes it (`msgtype` and its media), before delivery. */
export type MassMessage =
  | { msgtype: 'text'; content: string }
  | { msgtype: 'image'; mediaId: string }
  | { msgtype: 'voice'; mediaId: string }
  | { msgtype: 'mpvideo'; mediaId: string; title?: string | undefined; description?: string | undefined }
  | { msgtype: 'mpnews'; mediaId: string }
  /** An article card written in the console (title, description, link, picture), not a news material. */
  | { msgtype: 'news'; article: Article };

/** Resolves an mpnews media_id to its articles (a news-material module); absent or unknown: a placeholder card. */
export type NewsResolver = (accountId: string, mediaId: string) => Promise<Article[] | undefined>;

/** The card shown for an mpnews whose articles are not known here. */
export const placeholderArticles = (mediaId: string): Article[] => [{ title: '图文消息', description: `mpnews ${mediaId}` }];

const isHttpUrl = (u: string | undefined) => u === undefined || u === '' || /^https?:\/\/[^\s]+$/.test(u);

export function checkMassMessage(m: MassMessage): void {
  if (m.msgtype === 'news') {
    const a = m.article;
    if (a.title.trim() === '') throw wx.argumentInvalid('article title is empty');
    if ([...a.title].length > 64 || [...(a.description ?? '')].length > 120) throw wx.articleSizeOutOfLimit();
    if (!isHttpUrl(a.url) || !isHttpUrl(a.picUrl)) throw wx.argumentInvalid('article url and picture must be http(s) URLs');
  } else if (m.msgtype === 'text') {
    if (m.content.trim() === '') throw wx.emptyContent();
    if ([...m.content].length > LIMITS.massTextChars) throw wx.contentTooLong();
  } else if (m.mediaId.trim() === '') {
    throw wx.argumentInvalid('media_id is empty');
  }
}

/** What each recipient's thread receives. */
export async function massThreadContent(m: MassMessage, accountId: string, resolveNews?: NewsResolver): Promise<MessageContent> {
  switch (m.msgtype) {
    case 'text':
      return { type: 'text', content: m.content };
    case 'image':
      return { type: 'image', mediaId: m.mediaId };
    case 'voice':
      return { type: 'voice', mediaId: m.mediaId };
    case 'mpvideo':
      return { type: 'video', mediaId: m.mediaId, title: m.title, description: m.description };
    case 'news':
      return { type: 'news', articles: [{ title: m.article.title.trim(), description: m.article.description || undefined, url: m.article.url || undefined, picUrl: m.article.picUrl || undefined }] };
    case 'mpnews': {
      const articles = (await resolveNews?.(accountId, m.mediaId)) ?? placeholderArticles(m.mediaId);
      return { type: 'news', articles };
    }
  }
}
