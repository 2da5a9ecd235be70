/** What the web view's Share button sends to `POST /api/v1/share/page` (without the friend). */
export interface PageShare {
  url: string;
  title: string;
  description?: string;
  imgUrl?: string;
  accountId?: string;
}

const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

const httpUrl = (raw: string, base?: string): URL | undefined => {
  if (!raw) return undefined;
  try {
    const u = new URL(raw, base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The card for the page loaded in the web view. `data` is what the page gave `updateAppMessageShareData`
 * (null when it did not call it). As in WeChat, the link must be on the page's own origin: another
 * origin's link (or none) is replaced by the page's URL, so a page cannot dress up a card for someone
 * else's site. The title falls back to the page's title, then its host; the image must be http(s).
 */
export function pageShareOf(page: URL, pageTitle: string, data: Record<string, unknown> | null, accountId: string | null): PageShare {
  const link = data ? httpUrl(text(data.link, 2048), page.href) : undefined;
  const url = link && link.origin === page.origin ? link.href : page.href;
  const title = (data ? text(data.title, 128) : '') || pageTitle.trim().slice(0, 128) || page.host;
  const description = data ? text(data.desc, 512) : '';
  const img = data ? httpUrl(text(data.imgUrl, 2048), page.href) : undefined;
  return {
    url,
    title,
    ...(description ? { description } : {}),
    ...(img ? { imgUrl: img.href } : {}),
    ...(accountId ? { accountId } : {}),
  };
}
