import { Placeholder } from '../../kit/index.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import type { PageProps } from '../../routes.tsx';

const strings = defineStrings({
  en: { what: 'Temporary and permanent scene QR codes with names, PNG download, and per-code scans, follows and paid orders.' },
  zh: { what: '临时与永久场景二维码：命名、下载 PNG，以及每个码的扫码、关注与支付订单数。' },
});

/** Placeholder: another change fills this section. */
export default function Section(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  return <Placeholder title={t('qrcodes')} description={s('what')} />;
}
