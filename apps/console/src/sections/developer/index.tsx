import { Page, Tabs } from '../../kit/index.ts';
import { common, defineStrings, useStrings } from '../../lib/i18n.ts';
import { navigate, useLocation } from '../../lib/router.ts';
import type { PageProps } from '../../routes.tsx';
import { ApiKeys } from './ApiKeys.tsx';
import { Deliveries } from './Deliveries.tsx';
import { Webhooks } from './Webhooks.tsx';

const strings = defineStrings({
  en: { intro: 'What Lianjie sends to your servers and how your servers call Lianjie.', log: 'Delivery log', webhooks: 'Webhooks', keys: 'API keys', sections: 'Developer sections' },
  zh: { intro: '连接发往你的服务器的内容，以及你的服务器如何调用连接。', log: '投递日志', webhooks: 'Webhook', keys: 'API 密钥', sections: '开发功能' },
});

type TabKey = 'log' | 'webhooks' | 'keys';

/** Developer (permission developer): delivery log, webhook endpoints, API keys; the tab is kept in `?tab=`. */
export default function Developer(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const { query } = useLocation();
  const tabs = (['log', 'webhooks', 'keys'] as const).map((key) => ({ key, label: s(key) }));
  const wanted = query.get('tab');
  const tab: TabKey = wanted === 'webhooks' || wanted === 'keys' ? wanted : 'log';
  return (
    <Page title={t('developer')} description={s('intro')}>
      <Tabs tabs={tabs} value={tab} onChange={(k) => navigate(k === 'log' ? '/developer' : `/developer?tab=${k}`, { replace: true })} label={s('sections')} />
      {tab === 'log' ? <Deliveries /> : tab === 'webhooks' ? <Webhooks /> : <ApiKeys />}
    </Page>
  );
}
