import { Page, Tabs } from '../../kit/index.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import { navigate, useLocation } from '../../lib/router.ts';
import { useCan } from '../../lib/session.tsx';
import type { PageProps } from '../../routes.tsx';
import { Balance } from './Balance.tsx';
import { Bills } from './Bills.tsx';
import { Keys } from './Keys.tsx';
import { Orders } from './Orders.tsx';
import { Payouts } from './Payouts.tsx';

const strings = defineStrings({
  en: { intro: 'Orders and refunds, what you are owed and when it settles, payouts, bills and your keys.', orders: 'Orders', balance: 'Balance & settlement', payouts: 'Payouts', bills: 'Bills', keys: 'Keys & certificates', sections: 'Pay sections' },
  zh: { intro: '订单与退款、应收款项与结算时间、提现、账单以及密钥。', orders: '订单', balance: '余额与结算', payouts: '提现', bills: '账单', keys: '密钥与证书', sections: '支付功能' },
});

type TabKey = 'orders' | 'balance' | 'payouts' | 'bills' | 'keys';

/** Pay (permission pay.read): tabs kept in `?tab=` so a reload or a link lands on the same one. */
export default function Pay(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const can = useCan();
  const { query } = useLocation();
  const tabs = (['orders', 'balance', 'payouts', 'bills', ...(can('pay.keys') ? ['keys' as const] : [])] as const).map((key) => ({ key, label: s(key) }));
  const wanted = query.get('tab') as TabKey | null;
  const tab: TabKey = tabs.some((x) => x.key === wanted) && wanted ? wanted : 'orders';
  return (
    <Page title={t('pay')} description={s('intro')}>
      <Tabs tabs={tabs} value={tab} onChange={(k) => navigate(k === 'orders' ? '/pay' : `/pay?tab=${k}`, { replace: true })} label={s('sections')} />
      {tab === 'orders' ? <Orders /> : tab === 'balance' ? <Balance /> : tab === 'payouts' ? <Payouts /> : tab === 'bills' ? <Bills /> : <Keys />}
    </Page>
  );
}
