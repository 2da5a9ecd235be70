import { Placeholder } from '../../kit/index.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import type { PageProps } from '../../routes.tsx';

const strings = defineStrings({
  en: { what: 'Charts of followers, messages, menu clicks, the QR scan → follow → order → paid funnel, revenue and refunds, with CSV export.' },
  zh: { what: '粉丝、消息、菜单点击、扫码→关注→下单→支付漏斗、收入与退款图表，可导出 CSV。' },
});

/** Placeholder: another change fills this section. */
export default function Section(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  return <Placeholder title={t('analytics')} description={s('what')} />;
}
