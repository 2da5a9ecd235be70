import { Placeholder } from '../../kit/index.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import type { PageProps } from '../../routes.tsx';

const strings = defineStrings({
  en: { what: 'Menu editor with a phone-shaped live preview, conditional menus by tag, and publish.' },
  zh: { what: '菜单编辑器：手机样式实时预览、按标签的个性化菜单、发布。' },
});

/** Placeholder: another change fills this section. */
export default function Section(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  return <Placeholder title={t('menu')} description={s('what')} />;
}
