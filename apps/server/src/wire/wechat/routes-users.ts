import { z } from 'zod';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Platform } from '../../app.ts';
import type { RequestContext } from '../../platform/context.ts';
import type { FollowerInfo } from '../../modules/tags/users.ts';
import { accountIdOf, appContext, wxOk } from './oa-scope.ts';

// The OA API's users, tags and blacklist (`/cgi-bin/user/*`, `/cgi-bin/tags/*`): parse → service → present.

/** Tag ids arrive as JSON numbers, sometimes as digit strings. */
const TagId = z.union([z.number().int(), z.string().regex(/^-?\d{1,15}$/).transform(Number)]);
const OpenidList = z.object({ openid_list: z.array(z.string()) });
const BatchGetBody = z.object({
  // `lang` per the docs; wechat-api sends `language`. Neither changes what we return.
  user_list: z.array(z.object({ openid: z.string(), lang: z.string().optional(), language: z.string().optional() })),
});
const RemarkBody = z.object({ openid: z.string(), remark: z.string() });
const CreateTagBody = z.object({ tag: z.object({ name: z.string() }) });
const UpdateTagBody = z.object({ tag: z.object({ id: TagId, name: z.string() }) });
const DeleteTagBody = z.object({ tag: z.object({ id: TagId }) });
const TaggingBody = OpenidList.extend({ tagid: TagId });
const OpenidBody = z.object({ openid: z.string() });
const TagUsersBody = z.object({ tagid: TagId, next_openid: z.string().nullish() });
const BlacklistPageBody = z.object({ begin_openid: z.string().nullish() });

/** `user/info`: subscribed followers in full; one who left only as `{subscribe:0, openid, tagid_list:[]}`. */
export function presentUser(u: FollowerInfo) {
  if (!u.subscribed) return { subscribe: 0, openid: u.openid, tagid_list: [] as number[] };
  return {
    subscribe: 1,
    openid: u.openid,
    language: 'zh_CN',
    subscribe_time: Math.floor(u.subscribeTime.getTime() / 1000),
    ...(u.unionid !== undefined ? { unionid: u.unionid } : {}),
    remark: u.remark,
    groupid: 0,
    tagid_list: u.tagIds,
    subscribe_scene: u.subscribeScene,
    qr_scene: u.qrScene === null ? 0 : Number(u.qrScene),
    qr_scene_str: u.qrSceneStr ?? '',
  };
}

/** An openid page: `{count, data:{openid:[…]}, next_openid}`; an empty one has no `data` and `next_openid: ""`. */
export function presentOpenidPage(openids: readonly string[]) {
  const last = openids.at(-1);
  if (last === undefined) return { count: 0, next_openid: '' };
  return { count: openids.length, data: { openid: [...openids] }, next_openid: last };
}

function queryString(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
}

async function caller(platform: Platform, req: FastifyRequest): Promise<{ ctx: RequestContext; accountId: string }> {
  const ctx = await appContext(platform, req);
  return { ctx, accountId: accountIdOf(ctx) };
}

export function userRoutes(scope: FastifyInstance, platform: Platform): void {
  const { oaUsers, tags, blacklist } = platform.services;

  scope.get('/cgi-bin/user/info', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    return presentUser(await oaUsers.info(ctx, accountId, queryString(req, 'openid')));
  });
  scope.post('/cgi-bin/user/info/batchget', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = BatchGetBody.parse(req.body);
    const users = await oaUsers.batchInfo(ctx, accountId, body.user_list.map((u) => u.openid));
    return { user_info_list: users.map(presentUser) };
  });
  scope.get('/cgi-bin/user/get', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const page = await oaUsers.page(ctx, accountId, queryString(req, 'next_openid'));
    return { total: page.total, ...presentOpenidPage(page.openids) };
  });
  scope.post('/cgi-bin/user/info/updateremark', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = RemarkBody.parse(req.body);
    await oaUsers.updateRemark(ctx, accountId, body.openid, body.remark);
    return wxOk;
  });

  scope.post('/cgi-bin/tags/create', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = CreateTagBody.parse(req.body);
    return { tag: await tags.create(ctx, accountId, body.tag.name) };
  });
  scope.get('/cgi-bin/tags/get', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    return { tags: await tags.list(ctx, accountId) };
  });
  scope.post('/cgi-bin/tags/update', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = UpdateTagBody.parse(req.body);
    await tags.rename(ctx, accountId, body.tag.id, body.tag.name);
    return wxOk;
  });
  scope.post('/cgi-bin/tags/delete', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = DeleteTagBody.parse(req.body);
    await tags.remove(ctx, accountId, body.tag.id);
    return wxOk;
  });
  scope.post('/cgi-bin/tags/members/batchtagging', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = TaggingBody.parse(req.body);
    await tags.tag(ctx, accountId, body.tagid, body.openid_list);
    return wxOk;
  });
  scope.post('/cgi-bin/tags/members/batchuntagging', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = TaggingBody.parse(req.body);
    await tags.untag(ctx, accountId, body.tagid, body.openid_list);
    return wxOk;
  });
  scope.post('/cgi-bin/tags/getidlist', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = OpenidBody.parse(req.body);
    return { tagid_list: await tags.tagsOf(ctx, accountId, body.openid) };
  });
  scope.post('/cgi-bin/user/tag/get', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = TagUsersBody.parse(req.body);
    return presentOpenidPage(await tags.members(ctx, accountId, body.tagid, body.next_openid ?? undefined));
  });

  scope.post('/cgi-bin/tags/members/getblacklist', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = BlacklistPageBody.parse(req.body);
    const page = await blacklist.page(ctx, accountId, body.begin_openid ?? undefined);
    return { total: page.total, ...presentOpenidPage(page.openids) };
  });
  scope.post('/cgi-bin/tags/members/batchblacklist', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = OpenidList.parse(req.body);
    await blacklist.add(ctx, accountId, body.openid_list);
    return wxOk;
  });
  scope.post('/cgi-bin/tags/members/batchunblacklist', async (req) => {
    const { ctx, accountId } = await caller(platform, req);
    const body = OpenidList.parse(req.body);
    await blacklist.remove(ctx, accountId, body.openid_list);
    return wxOk;
  });
}
