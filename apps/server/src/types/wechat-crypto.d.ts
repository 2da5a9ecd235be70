// Minimal typing for the CommonJS package `wechat-crypto` (used only by tests as a reference).
declare module 'wechat-crypto' {
  class WXBizMsgCrypt {
    constructor(token: string, encodingAESKey: string, id: string);
    getSignature(timestamp: string | number, nonce: string | number, encrypt: string): string;
    encrypt(text: string): string;
    decrypt(text: string): { message: string; id: string };
  }
  export = WXBizMsgCrypt;
}
