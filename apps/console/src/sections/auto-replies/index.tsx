import { Placeholder } from '../../kit/index.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import type { PageProps } from '../../routes.tsx';

const strings = defineStrings({
  en: { what: 'Welcome message, keyword rules (exact / contains) and the default reply.' },
  zh: { what: '关注后回复、关键词规则（全匹配/包含）与默认回复。' },
});

/** Placeholder: another change fills this section. */
export default function Section(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  return <Placeholder title={t('autoReplies')} description={s('what')} />;
}
