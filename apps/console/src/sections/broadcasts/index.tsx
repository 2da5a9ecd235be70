import { useMemo, useState } from 'react';
import { Card, Loading, Page, SelectField, Tabs } from '../../kit/index.ts';
import { api, errorText, type Account } from '../../lib/api.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { href, navigate, onLinkClick, useLocation } from '../../lib/router.ts';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';
import { broadcastApi, type BroadcastApi, type Report } from './api.ts';
import { Compose } from './Compose.tsx';
import { History } from './History.tsx';
import { Progress } from './Progress.tsx';
import { strings } from './strings.ts';
import { Templates } from './Templates.tsx';

type Tab = 'broadcasts' | 'templates';

function Broadcasts({ bapi }: { bapi: BroadcastApi }) {
  const history = useAsync(() => bapi.history(), [bapi]);
  const audiences = useAsync(() => bapi.audiences(), [bapi]);
  const [running, setRunning] = useState<Report>();
  const tagNames = new Map((audiences.data?.tags ?? []).map((t) => [t.id, t.name]));
  return (
    <>
      {running ? <Progress key={running.msgId} bapi={bapi} initial={running} onDone={() => history.reload()} /> : null}
      <Compose key={running?.msgId ?? 'new'} bapi={bapi} onSent={(r) => (setRunning(r), history.reload())} />
      <History history={history} tagNames={tagNames} />
    </>
  );
}

/** Templates and broadcasts of one official account (permission `broadcast`). */
export default function BroadcastsPage(_props: PageProps) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const { query } = useLocation();
  const accounts = useAsync(() => api.get<Account[]>('/api/v1/merchant/accounts'));
  const list = accounts.data ?? [];
  const accountId = list.find((a) => a.id === query.get('account'))?.id ?? list[0]?.id;
  const tab: Tab = query.get('tab') === 'templates' ? 'templates' : 'broadcasts';
  const bapi = useMemo(() => (accountId ? broadcastApi(accountId) : undefined), [accountId]);
  const go = (next: { account?: string; tab?: Tab }) => navigate(`/broadcasts?account=${encodeURIComponent(next.account ?? accountId ?? '')}&tab=${next.tab ?? tab}`, { replace: true });

  if (accounts.error) return <Page title={t('broadcasts')}><Card><p role="alert">{errorText(accounts.error)}</p></Card></Page>;
  if (!accounts.data) return <Loading />;
  return (
    <Page title={t('broadcasts')} description={s('intro')}>
      {!bapi || !accountId ? (
        <Card>
          <p>{s('noAccounts')}</p>
          <a href={href('/')} onClick={(e) => onLinkClick(e, '/')}>{s('toOverview')}</a>
        </Card>
      ) : (
        <>
          {list.length > 1 ? <SelectField label={s('account')} value={accountId} onChange={(v) => go({ account: v })} options={list.map((a) => ({ value: a.id, label: a.name }))} /> : null}
          <Tabs<Tab> label={s('sections')} value={tab} onChange={(k) => go({ tab: k })} tabs={[{ key: 'broadcasts', label: s('tabBroadcasts') }, { key: 'templates', label: s('tabTemplates') }]} />
          {tab === 'broadcasts' ? <Broadcasts key={accountId} bapi={bapi} /> : <Templates key={accountId} bapi={bapi} />}
        </>
      )}
    </Page>
  );
}
