// Minimal typing for the CommonJS package `wechat-oauth` (node-webot), used by tests as an unmodified
// community OAuth client. Callback style; a WeChat error arrives as `err` with `code` = errcode.
declare module 'wechat-oauth' {
  namespace OAuth {
    type Callback<T> = (err: (Error & { code?: number; name: string }) | null, result: T) => void;
    interface TokenData {
      access_token: string;
      expires_in: number;
      refresh_token: string;
      openid: string;
      scope: string;
      unionid?: string;
      create_at: number;
    }
    interface AccessToken {
      data: TokenData;
      isValid(): boolean;
    }
    interface UserInfo {
      openid: string;
      nickname: string;
      sex: number;
      province: string;
      city: string;
      country: string;
      headimgurl: string;
      privilege: string[];
      unionid?: string;
    }
    type RequestFn = (url: string, opts: Record<string, unknown> | Callback<unknown>, callback?: (err: Error | null, data: unknown, res: unknown) => void) => void;
  }
  class OAuth {
    constructor(appid: string, appsecret: string);
    /** The HTTP layer every API call goes through (urllib); instances may wrap it. */
    request: OAuth.RequestFn;
    getAuthorizeURL(redirect: string, state?: string, scope?: string): string;
    getAccessToken(code: string, callback: OAuth.Callback<OAuth.AccessToken>): void;
    refreshAccessToken(refreshToken: string, callback: OAuth.Callback<OAuth.AccessToken>): void;
    getUser(options: string | { openid: string; lang?: string }, callback: OAuth.Callback<OAuth.UserInfo>): void;
    verifyToken(openid: string, accessToken: string, callback: OAuth.Callback<{ errcode: number; errmsg: string }>): void;
  }
  export = OAuth;
}
