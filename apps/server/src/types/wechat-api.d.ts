// Minimal typing for the CommonJS package `wechat-api` (node-webot), used by tests as an unmodified
// merchant SDK. Callback style; a WeChat error arrives as `err` with `code` = errcode.
// Extend with the methods your tests call.
declare module 'wechat-api' {
  namespace WechatAPI {
    type Callback<T = Record<string, unknown>> = (err: (Error & { code?: number }) | null, result: T) => void;
    /** `user/info`; a follower who unsubscribed has only subscribe (0), openid and tagid_list. */
    interface UserInfo {
      subscribe: number;
      openid: string;
      language?: string;
      subscribe_time?: number;
      unionid?: string;
      remark?: string;
      groupid?: number;
      tagid_list: number[];
      subscribe_scene?: string;
      qr_scene?: number;
      qr_scene_str?: string;
    }
    interface OpenidPage {
      count: number;
      data?: { openid: string[] };
      next_openid: string;
    }
  }
  class WechatAPI {
    constructor(appid: string, appsecret: string);
    endpoint: string;
    mpPrefix: string;
    fileServerPrefix: string;
    // QR codes and media (modules/qrcodes, modules/media tests)
    createTmpQRCode(sceneId: number | string, expire: number, callback: WechatAPI.Callback<{ ticket: string; expire_seconds: number; url: string }>): void;
    createLimitQRCode(sceneId: number | string, callback: WechatAPI.Callback<{ ticket: string; url: string; expire_seconds?: number }>): void;
    showQRCodeURL(ticket: string): string;
    uploadMedia(filepath: string, type: string, callback: WechatAPI.Callback<{ type: string; media_id: string; created_at: number }>): void;
    getMedia(mediaId: string, callback: (err: (Error & { code?: number }) | null, result: Buffer | Record<string, unknown>, res: { headers: Record<string, string | undefined> }) => void): void;
    getUserSummary(beginDate: string, endDate: string, callback: WechatAPI.Callback<{ list: Array<{ ref_date: string; user_source: number; new_user: number; cancel_user: number }> }>): void;
    getUserCumulate(beginDate: string, endDate: string, callback: WechatAPI.Callback<{ list: Array<{ ref_date: string; cumulate_user: number }> }>): void;
    // Users and tags (lib/api_user.js, lib/api_tag.js).
    getUser(options: string | { openid: string; lang: string }, callback: WechatAPI.Callback<WechatAPI.UserInfo>): void;
    batchGetUsers(openids: string[], callback: WechatAPI.Callback<{ user_info_list: WechatAPI.UserInfo[] }>): void;
    getFollowers(callback: WechatAPI.Callback<WechatAPI.OpenidPage & { total: number }>): void;
    getFollowers(nextOpenid: string, callback: WechatAPI.Callback<WechatAPI.OpenidPage & { total: number }>): void;
    updateRemark(openid: string, remark: string, callback: WechatAPI.Callback): void;
    createTag(name: string, callback: WechatAPI.Callback<{ tag: { id: number; name: string } }>): void;
    getTags(callback: WechatAPI.Callback<{ tags: Array<{ id: number; name: string; count: number }> }>): void;
    editTag(id: number, name: string, callback: WechatAPI.Callback): void;
    deleteTag(id: number, callback: WechatAPI.Callback): void;
    getTagUsers(tagId: number, nextOpenid: string | undefined, callback: WechatAPI.Callback<WechatAPI.OpenidPage>): void;
    membersBatchtagging(tagId: number, openids: string[], callback: WechatAPI.Callback): void;
    membersBatchuntagging(tagId: number, openids: string[], callback: WechatAPI.Callback): void;
    getUserTags(openid: string, callback: WechatAPI.Callback<{ tagid_list: number[] }>): void;
    // Custom menus (lib/api_menu.js, lib/api_menu_custom.js; modules/menus tests).
    createMenu(menu: object, callback: WechatAPI.Callback): void;
    getMenu(callback: WechatAPI.Callback): void;
    removeMenu(callback: WechatAPI.Callback): void;
    getMenuConfig(callback: WechatAPI.Callback): void;
    createCustomMenu(menu: object, callback: WechatAPI.Callback<{ menuid: string }>): void;
    removeCustomMenu(menuid: string | number, callback: WechatAPI.Callback): void;
    testCustomMenu(userId: string, callback: WechatAPI.Callback<{ button: Array<Record<string, unknown>> }>): void;
    // Customer-service, template and mass messages (lib/api_message.js, api_template.js, api_mass_send.js; modules/notifications tests).
    sendText(openid: string, text: string, callback: WechatAPI.Callback): void;
    sendImage(openid: string, mediaId: string, callback: WechatAPI.Callback): void;
    sendNews(openid: string, articles: Array<{ title: string; description?: string; url?: string; picurl?: string }>, callback: WechatAPI.Callback): void;
    getAllPrivateTemplate(callback: WechatAPI.Callback<{ template_list: Array<{ template_id: string; title: string; primary_industry: string; deputy_industry: string; content: string; example: string }> }>): void;
    addTemplate(templateIdShort: string, callback: WechatAPI.Callback<{ template_id: string }>): void;
    delPrivateTemplate(templateId: string, callback: WechatAPI.Callback): void;
    sendTemplate(openid: string, templateId: string, url: string | { url?: string } | undefined, data: Record<string, { value: string; color?: string }>, callback: WechatAPI.Callback<{ msgid: number }>): void;
    massSend(opts: object, receivers: boolean | string | number | string[], callback: WechatAPI.Callback<{ errcode: number; errmsg: string; msg_id: number; msg_data_id?: number }>): void;
    massSendText(content: string, receivers: boolean | string | number | string[], callback: WechatAPI.Callback<{ errcode: number; errmsg: string; msg_id: number; msg_data_id?: number }>): void;
    massSendNews(mediaId: string, receivers: boolean | string | number | string[], callback: WechatAPI.Callback<{ errcode: number; errmsg: string; msg_id: number; msg_data_id?: number }>): void;
    previewText(openid: string, content: string, callback: WechatAPI.Callback<{ errcode: number; errmsg: string; msg_id: number; msg_data_id?: number }>): void;
    getMassMessageStatus(messageId: number | string, callback: WechatAPI.Callback<{ msg_id: number; msg_status: string }>): void;
    deleteMass(messageId: number | string, callback: WechatAPI.Callback): void;
    // JS-SDK (lib/api_js.js; modules/jssdk tests): resolves to the SDK's Ticket {ticket, expireTime}.
    getTicket(type: string, callback: WechatAPI.Callback<{ ticket: string; expireTime: number }>): void;
  }
  export = WechatAPI;
}
