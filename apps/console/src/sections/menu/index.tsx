import { useState } from 'react';
import { Card, Loading, Page, Tabs } from '../../kit/index.ts';
import { api, enc, errorText, type Account } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';
import { menuApi } from './api.ts';
import { Conditional } from './Conditional.tsx';
import { DefaultMenu } from './DefaultMenu.tsx';
import { strings } from './strings.ts';
import './menu.css';

type TabKey = 'default' | 'conditional';

/** The custom-menu editor of one official account: the default menu and the menus by tag. */
export default function MenuPage({ params }: PageProps) {
  const s = useStrings(strings);
  const id = params.id ?? '';
  const [tab, setTab] = useState<TabKey>('default');
  const account = useAsync(() => api.get<Account>(`/api/v1/merchant/accounts/${enc(id)}`), [id]);
  const menus = useAsync(() => menuApi.get(id), [id]);
  const error = account.error ?? menus.error;
  if (error) {
    return (
      <Page title={s('title')}>
        <Card>
          <p role="alert">{errorText(error)}</p>
        </Card>
      </Page>
    );
  }
  if (!account.data || !menus.data) return <Loading />;
  const o = menus.data;
  return (
    <Page title={s('title')} description={s('description')}>
      <Tabs<TabKey> label={s('tabsLabel')} value={tab} onChange={setTab} tabs={[{ key: 'default', label: s('tabDefault') }, { key: 'conditional', label: `${s('tabConditional')} (${o.conditional.length})` }]} />
      {tab === 'default' ? (
        <DefaultMenu key={o.default?.menuid ?? 'none'} accountId={id} accountName={account.data.name} overview={o} onChanged={(next) => (next ? menus.set(next) : menus.reload())} />
      ) : (
        <Conditional accountId={id} accountName={account.data.name} overview={o} onChanged={menus.reload} />
      )}
    </Page>
  );
}
