import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../../app.ts';
import { isAppError } from '../../platform/errors.ts';
import type { CsContent } from '../../modules/notifications/cs.ts';
import type { MassMessage } from '../../modules/notifications/mass-content.ts';
import type { MassTarget } from '../../modules/notifications/mass.ts';
import { wx } from '../../modules/notifications/rules.ts';
import type { TemplateView } from '../../modules/notifications/templates.ts';
import { accountIdOf, appContext, wxError, wxOk } from './oa-scope.ts';

// WeChat's JSON bodies for messages to followers. Unknown fields are ignored, as WeChat does.
const MediaRef = z.object({ media_id: z.string().max(256) });
const Str = (max: number) => z.string().max(max);
const Article = z.object({ title: Str(128), description: Str(512).optional(), url: Str(1024).optional(), picurl: Str(1024).optional() });

const CsBody = z.object({
  touser: z.string().optional(),
  msgtype: z.string().optional(),
  text: z.object({ content: z.string() }).optional(),
  image: MediaRef.optional(),
  voice: MediaRef.optional(),
  video: MediaRef.extend({ thumb_media_id: Str(256).optional(), title: Str(128).optional(), description: Str(512).optional() }).optional(),
  music: z.object({ title: Str(128).optional(), description: Str(512).optional(), musicurl: Str(1024).optional(), hqmusicurl: Str(1024).optional(), thumb_media_id: Str(256).optional() }).optional(),
  news: z.object({ articles: z.array(Article).max(100) }).optional(),
  link: z.object({ title: Str(128), description: Str(512).default(''), url: Str(1024), thumb_url: Str(1024).optional() }).optional(),
});

const need = <T>(part: T | undefined): T => {
  if (part === undefined) throw wx.argumentInvalid('the part named by msgtype is missing');
  return part;
};

function csContent(b: z.infer<typeof CsBody>): CsContent {
  switch (b.msgtype) {
    case 'text':
      return { type: 'text', content: need(b.text).content };
    case 'image':
      return { type: 'image', mediaId: need(b.image).media_id };
    case 'voice':
      return { type: 'voice', mediaId: need(b.voice).media_id };
    case 'video': {
      const v = need(b.video);
      return { type: 'video', mediaId: v.media_id, title: v.title, description: v.description };
    }
    case 'music': {
      const m = need(b.music);
      return { type: 'music', title: m.title, description: m.description, musicUrl: m.musicurl, hqMusicUrl: m.hqmusicurl, thumbMediaId: m.thumb_media_id };
    }
    case 'news':
      return { type: 'news', articles: need(b.news).articles.map((a) => ({ title: a.title, description: a.description, url: a.url, picUrl: a.picurl })) };
    case 'link': {
      const l = need(b.link);
      return { type: 'link', title: l.title, description: l.description, url: l.url };
    }
    default:
      throw wx.invalidMessageType();
  }
}

const IntLike = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,10}$/).transform(Number)]);
const MsgId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,19}$/)]).transform((v) => BigInt(v));

const MassBody = z.object({
  msgtype: z.string().optional(),
  text: z.object({ content: z.string() }).optional(),
  image: MediaRef.optional(),
  images: z.object({ media_ids: z.array(z.string().max(256)).min(1).max(20) }).optional(),
  voice: MediaRef.optional(),
  mpvideo: MediaRef.extend({ title: Str(128).optional(), description: Str(512).optional() }).optional(),
  mpnews: MediaRef.optional(),
  send_ignore_reprint: IntLike.optional(),
  clientmsgid: z.string().max(1024).optional(),
});

function massMessage(b: z.infer<typeof MassBody>): MassMessage {
  switch (b.msgtype) {
    case 'text':
      return { msgtype: 'text', content: need(b.text).content };
    case 'image':
      // Newer clients send several images as `images.media_ids`; the thread shows the first.
      return { msgtype: 'image', mediaId: b.image?.media_id ?? need(b.images).media_ids[0] ?? '' };
    case 'voice':
      return { msgtype: 'voice', mediaId: need(b.voice).media_id };
    case 'mpvideo': {
      const v = need(b.mpvideo);
      return { msgtype: 'mpvideo', mediaId: v.media_id, title: v.title, description: v.description };
    }
    case 'mpnews':
      return { msgtype: 'mpnews', mediaId: need(b.mpnews).media_id };
    default:
      // wxcard needs a cards module Lianjie does not have yet.
      throw wx.invalidMessageType();
  }
}

const SendAllBody = MassBody.extend({
  filter: z
    .object({
      is_to_all: z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]).optional(),
      tag_id: IntLike.optional(),
      // Older clients (and wechat-api's massSend) still say group_id; WeChat turned groups into tags.
      group_id: IntLike.optional(),
    })
    .optional(),
});
const SendBody = MassBody.extend({ touser: z.array(z.string().max(64)).max(10_001) });
const PreviewBody = MassBody.extend({ touser: z.string().optional() });

const TemplateSendBody = z.object({
  touser: z.string().optional(),
  template_id: z.string().max(128).optional(),
  url: Str(1024).optional(),
  data: z.record(z.string().max(64), z.object({ value: z.union([z.string(), z.number()]).transform(String), color: Str(16).optional() })).default({}),
});

const presentTemplate = (t: TemplateView) => ({
  template_id: t.templateId,
  title: t.title,
  primary_industry: t.primaryIndustry,
  deputy_industry: t.deputyIndustry,
  content: t.content,
  example: t.example,
});

/**
 * Messages from an account to its followers: customer-service messages, template messages and
 * mass messages (`/cgi-bin/message/*`, `/cgi-bin/template/*`).
 */
export function messageRoutes(scope: FastifyInstance, platform: Platform): void {
  const { customMessages, templates, mass } = platform.services;
  const app = async (req: Parameters<typeof appContext>[1]) => {
    const ctx = await appContext(platform, req);
    return { ctx, accountId: accountIdOf(ctx) };
  };

  scope.post('/cgi-bin/message/custom/send', async (req) => {
    const { ctx, accountId } = await app(req);
    const body = CsBody.parse(req.body ?? {});
    await customMessages.send(ctx, accountId, body.touser, csContent(body));
    return wxOk;
  });

  scope.get('/cgi-bin/template/get_all_private_template', async (req) => {
    const { ctx, accountId } = await app(req);
    return { template_list: (await templates.list(ctx, accountId)).map(presentTemplate) };
  });

  scope.post('/cgi-bin/template/api_add_template', async (req) => {
    const { ctx, accountId } = await app(req);
    const body = z.object({ template_id_short: z.string().max(64).optional() }).parse(req.body ?? {});
    const t = await templates.addFromLibrary(ctx, accountId, body.template_id_short);
    return { ...wxOk, template_id: t.templateId };
  });

  scope.post('/cgi-bin/template/del_private_template', async (req) => {
    const { ctx, accountId } = await app(req);
    const body = z.object({ template_id: z.string().max(128).optional() }).parse(req.body ?? {});
    await templates.remove(ctx, accountId, body.template_id);
    return wxOk;
  });

  scope.post('/cgi-bin/message/template/send', async (req) => {
    const { ctx, accountId } = await app(req);
    const b = TemplateSendBody.parse(req.body ?? {});
    const { msgid } = await templates.send(ctx, accountId, { touser: b.touser, templateId: b.template_id, url: b.url, data: b.data });
    return { ...wxOk, msgid: Number(msgid) };
  });

  const submitted = async (work: () => Promise<{ msgId: bigint; msgDataId: bigint | null }>) => {
    try {
      const r = await work();
      return { errcode: 0, errmsg: 'send job submission success', msg_id: Number(r.msgId), ...(r.msgDataId !== null ? { msg_data_id: Number(r.msgDataId) } : {}) };
    } catch (err) {
      // 45065 names the job that already has this clientmsgid.
      if (isAppError(err) && err.wxErrcode === 45065) return { ...wxError(45065, err.message), ...err.details };
      throw err;
    }
  };

  scope.post('/cgi-bin/message/mass/sendall', async (req) => {
    const { ctx, accountId } = await app(req);
    const b = SendAllBody.parse(req.body ?? {});
    const tagId = b.filter?.tag_id ?? b.filter?.group_id;
    let target: MassTarget;
    if (b.filter?.is_to_all === true) target = { kind: 'all' };
    else if (tagId !== undefined) target = { kind: 'tag', tagId };
    else throw wx.argumentInvalid('filter needs is_to_all or tag_id');
    const message = massMessage(b);
    return submitted(() => mass.submit(ctx, accountId, target, message, { clientmsgid: b.clientmsgid }));
  });

  scope.post('/cgi-bin/message/mass/send', async (req) => {
    const { ctx, accountId } = await app(req);
    const b = SendBody.parse(req.body ?? {});
    const message = massMessage(b);
    return submitted(() => mass.submit(ctx, accountId, { kind: 'openids', openids: b.touser }, message, { clientmsgid: b.clientmsgid }));
  });

  scope.post('/cgi-bin/message/mass/preview', async (req) => {
    const { ctx, accountId } = await app(req);
    const b = PreviewBody.parse(req.body ?? {});
    const { msgId } = await mass.preview(ctx, accountId, b.touser, massMessage(b));
    return { errcode: 0, errmsg: 'preview success', msg_id: Number(msgId) };
  });

  scope.post('/cgi-bin/message/mass/get', async (req) => {
    const { ctx, accountId } = await app(req);
    const b = z.object({ msg_id: MsgId.optional() }).parse(req.body ?? {});
    const s = await mass.status(ctx, accountId, b.msg_id);
    return { msg_id: Number(s.msgId), msg_status: s.msgStatus };
  });

  scope.post('/cgi-bin/message/mass/delete', async (req) => {
    const { ctx, accountId } = await app(req);
    const b = z.object({ msg_id: MsgId.optional(), article_idx: IntLike.optional(), url: Str(1024).optional() }).parse(req.body ?? {});
    await mass.remove(ctx, accountId, b.msg_id);
    return wxOk;
  });
}
