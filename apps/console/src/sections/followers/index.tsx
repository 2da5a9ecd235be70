import { Placeholder } from '../../kit/index.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import type { PageProps } from '../../routes.tsx';

const strings = defineStrings({
  en: { what: 'Search followers, filter by tag, subscribe scene and source QR code; profiles with conversation history, remarks and (bulk) tags.' },
  zh: { what: '搜索粉丝，按标签、关注场景与来源二维码筛选；粉丝资料、会话记录、备注与（批量）标签。' },
});

/** Placeholder: another change fills this section. */
export default function Section(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  return <Placeholder title={t('followers')} description={s('what')} />;
}
