import { Placeholder } from '../../kit/index.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import type { PageProps } from '../../routes.tsx';

const strings = defineStrings({
  en: { what: 'Customer-service conversations with the 48-hour window, assignment to staff, quick replies and live updates.' },
  zh: { what: '客服会话：48 小时窗口、分配给成员、快捷回复与实时更新。' },
});

/** Placeholder: another change fills this section. */
export default function Section(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  return <Placeholder title={t('inbox')} description={s('what')} />;
}
