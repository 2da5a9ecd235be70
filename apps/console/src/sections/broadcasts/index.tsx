import { Placeholder } from '../../kit/index.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import type { PageProps } from '../../routes.tsx';

const strings = defineStrings({
  en: { what: 'Templates and template messages; broadcasts to all or a tag with preview, quota, progress and a final report.' },
  zh: { what: '模板与模板消息；向全部或某个标签群发，预览、剩余额度、进度与结果报告。' },
});

/** Placeholder: another change fills this section. */
export default function Section(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  return <Placeholder title={t('broadcasts')} description={s('what')} />;
}
