import type { MessageContent } from '../../modules/messaging/model.ts';
import { xmlText, type WechatXmlObject, type WechatXmlValue } from './xml.ts';

const obj = (v: WechatXmlValue | undefined): WechatXmlObject | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
const items = (v: WechatXmlValue | undefined): WechatXmlObject[] => {
  if (Array.isArray(v)) return v.flatMap((x) => (obj(x) ? [x as WechatXmlObject] : []));
  const o = obj(v);
  if (!o) return [];
  const inner = o.item;
  return Array.isArray(inner) ? items(inner) : obj(inner) ? [inner as WechatXmlObject] : [o];
};

/**
 * A merchant's passive reply → thread content, or `'transfer'` for transfer_customer_service.
 * Throws when it is not a well-formed reply to this user from this account.
 */
export function parsePassiveReply(f: WechatXmlObject, expect: { openid: string; originalId: string }): MessageContent | 'transfer' {
  const to = xmlText(f, 'ToUserName');
  const from = xmlText(f, 'FromUserName');
  if (to !== expect.openid) throw new Error(`ToUserName ${to ?? '(missing)'} is not the user`);
  if (from !== undefined && from !== expect.originalId) throw new Error(`FromUserName ${from} is not this account`);
  const type = xmlText(f, 'MsgType');
  switch (type) {
    case 'text': {
      const content = xmlText(f, 'Content');
      if (content === undefined) throw new Error('text reply without Content');
      return { type: 'text', content };
    }
    case 'image': {
      const mediaId = xmlText(obj(f.Image) ?? {}, 'MediaId');
      if (!mediaId) throw new Error('image reply without Image/MediaId');
      return { type: 'image', mediaId };
    }
    case 'voice': {
      const mediaId = xmlText(obj(f.Voice) ?? {}, 'MediaId');
      if (!mediaId) throw new Error('voice reply without Voice/MediaId');
      return { type: 'voice', mediaId };
    }
    case 'video': {
      const v = obj(f.Video) ?? {};
      const mediaId = xmlText(v, 'MediaId');
      if (!mediaId) throw new Error('video reply without Video/MediaId');
      return { type: 'video', mediaId, title: xmlText(v, 'Title'), description: xmlText(v, 'Description') };
    }
    case 'music': {
      const m = obj(f.Music) ?? {};
      return { type: 'music', title: xmlText(m, 'Title'), description: xmlText(m, 'Description'), musicUrl: xmlText(m, 'MusicUrl'), hqMusicUrl: xmlText(m, 'HQMusicUrl'), thumbMediaId: xmlText(m, 'ThumbMediaId') };
    }
    case 'news': {
      const articles = items(f.Articles).map((a) => ({
        title: xmlText(a, 'Title') ?? '',
        description: xmlText(a, 'Description'),
        picUrl: xmlText(a, 'PicUrl'),
        url: xmlText(a, 'Url'),
      }));
      if (articles.length === 0 || articles.length > 8) throw new Error('news reply needs 1–8 articles');
      return { type: 'news', articles };
    }
    case 'transfer_customer_service':
      return 'transfer';
    default:
      throw new Error(`unsupported reply MsgType ${type ?? '(missing)'}`);
  }
}
