import { AppError } from '../../platform/errors.ts';
import type { PushFields } from '../messaging/push.ts';
import type { LeafButton } from './model.ts';

export interface TapLocation {
  latitude: number;
  longitude: number;
  scale: number;
  label: string;
  poiname: string;
}

/** What the consumer's client sends with a tap: the button's position and what the tap produced. */
export interface TapInput {
  path: number[];
  scanResult?: string | undefined;
  location?: TapLocation | undefined;
}

/** What a tap does: push an event to the merchant, and/or open a URL in the client. */
export type TapEffect =
  | { action: 'event'; event: string; extra: PushFields }
  | { action: 'open_url'; url: string; event: string; extra: PushFields }
  | { action: 'none' };

const needs = (what: string) => new AppError('invalid_argument', `this button needs ${what}`);

/**
 * The event WeChat pushes for a tap on this button (the key, URL and menuid come from the stored
 * menu, never from the client). Material buttons (media_id, article_id) push nothing.
 */
export function tapEffect(button: LeafButton, menuid: bigint, input: TapInput): TapEffect {
  const key = button.key ?? '';
  switch (button.type) {
    case 'click':
      return { action: 'event', event: 'CLICK', extra: { EventKey: key } };
    case 'view':
      return { action: 'open_url', url: button.url ?? '', event: 'VIEW', extra: { EventKey: button.url ?? '', MenuId: Number(menuid) } };
    case 'miniprogram':
      // Lianjie has no mini programs: the client opens the fallback URL, as old WeChat clients do.
      return { action: 'open_url', url: button.url ?? '', event: 'view_miniprogram', extra: { EventKey: button.pagepath ?? '', MenuId: Number(menuid) } };
    case 'scancode_push':
    case 'scancode_waitmsg':
      if (!input.scanResult) throw needs('a scanResult');
      return { action: 'event', event: button.type, extra: { EventKey: key, ScanCodeInfo: { ScanType: 'qrcode', ScanResult: input.scanResult } } };
    case 'location_select': {
      const l = input.location;
      if (!l) throw needs('a location');
      return { action: 'event', event: 'location_select', extra: { EventKey: key, SendLocationInfo: { Location_X: l.latitude, Location_Y: l.longitude, Scale: l.scale, Label: l.label, Poiname: l.poiname } } };
    }
    case 'pic_sysphoto':
    case 'pic_photo_or_album':
    case 'pic_weixin':
      return { action: 'event', event: button.type, extra: { EventKey: key, SendPicsInfo: { Count: 0, PicList: '' } } };
    case 'media_id':
    case 'view_limited':
    case 'article_id':
    case 'article_view_limited':
      return { action: 'none' };
  }
}
