import { useLang } from '../lib/i18n.ts';

const en = {
  back: 'Back',
  close: 'Close',
  loading: 'Loading…',
  badUrl: 'This address cannot be opened in the web view.',
  scanTitle: 'Scan a QR code',
  camera: 'Camera',
  noCamera: 'No camera here: choose an image or paste the text.',
  chooseImage: 'Choose an image',
  pasteText: 'Paste text',
  useText: 'Use text',
  noCode: 'No QR code found in that image.',
  cancel: 'Cancel',
  pickTitle: 'Choose images for this page',
  uploading: 'Uploading…',
  sharedAs: 'Share card set',
  share: 'Share',
  shareFailed: 'Could not share this page',
};
const zh: typeof en = {
  back: '返回',
  close: '关闭',
  loading: '加载中…',
  badUrl: '该地址无法在网页中打开。',
  scanTitle: '扫一扫',
  camera: '相机',
  noCamera: '没有可用的相机：请选择图片或粘贴文本。',
  chooseImage: '选择图片',
  pasteText: '粘贴文本',
  useText: '使用文本',
  noCode: '图片中未找到二维码。',
  cancel: '取消',
  pickTitle: '为此网页选择图片',
  uploading: '上传中…',
  sharedAs: '已设置分享卡片',
  share: '分享',
  shareFailed: '分享失败',
};

export type WebViewStrings = typeof en;
export const useWebViewStrings = (): WebViewStrings => (useLang() === 'en' ? en : zh);
