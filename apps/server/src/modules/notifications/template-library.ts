/**
 * Lianjie's own template library, what `template/api_add_template` copies from. WeChat's library
 * (short ids `TM…` / `OPENTM…`) is not reproduced: those ids are unknown here (40037). Merchants
 * also write their own templates in the console.
 */
export interface LibraryTemplate {
  shortId: string;
  title: string;
  primaryIndustry: string;
  deputyIndustry: string;
  content: string;
  example: string;
}

export const TEMPLATE_LIBRARY: readonly LibraryTemplate[] = [
  {
    shortId: 'LJ0001',
    title: '订单支付成功',
    primaryIndustry: 'IT科技',
    deputyIndustry: '餐饮',
    content: '{{first.DATA}}\n订单号：{{keyword1.DATA}}\n支付金额：{{keyword2.DATA}}\n支付时间：{{keyword3.DATA}}\n{{remark.DATA}}',
    example: '您的订单已支付成功\n订单号：202401010001\n支付金额：¥36.00\n支付时间：2024-01-01 12:00\n感谢您的光临',
  },
  {
    shortId: 'LJ0002',
    title: '订单状态更新',
    primaryIndustry: 'IT科技',
    deputyIndustry: '餐饮',
    content: '{{first.DATA}}\n订单号：{{keyword1.DATA}}\n订单状态：{{keyword2.DATA}}\n{{remark.DATA}}',
    example: '您的订单状态有更新\n订单号：202401010001\n订单状态：已出餐\n请到取餐台取餐',
  },
  {
    shortId: 'LJ0003',
    title: '排队叫号提醒',
    primaryIndustry: '医药护理',
    deputyIndustry: '医疗',
    content: '{{first.DATA}}\n排队号码：{{keyword1.DATA}}\n前面人数：{{keyword2.DATA}}\n{{remark.DATA}}',
    example: '您排的号快到了\n排队号码：A023\n前面人数：3\n请留意叫号',
  },
];

export const findLibraryTemplate = (shortId: string | undefined) => TEMPLATE_LIBRARY.find((t) => t.shortId === shortId);
