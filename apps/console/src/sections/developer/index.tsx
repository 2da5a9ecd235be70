import { Placeholder } from '../../kit/index.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import type { PageProps } from '../../routes.tsx';

const strings = defineStrings({
  en: { what: 'The delivery log of every callback and notification attempt with resend, webhook endpoints and API keys.' },
  zh: { what: '每次回调与通知的投递日志（可重发）、Webhook 端点与 API 密钥。' },
});

/** Placeholder: another change fills this section. */
export default function Section(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  return <Placeholder title={t('developer')} description={s('what')} />;
}
