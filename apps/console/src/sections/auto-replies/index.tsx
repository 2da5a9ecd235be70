import { Loading, Page, PageLoadError } from '../../kit/index.ts';
import { api, enc, type Account } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';
import { replyApi } from './api.ts';
import { DefaultReply } from './DefaultReply.tsx';
import { Rules } from './Rules.tsx';
import { strings } from './strings.ts';
import { Welcome } from './Welcome.tsx';

/** Auto-replies of one official account: the welcome message, keyword rules and the default reply. */
export default function AutoReplies({ params }: PageProps) {
  const s = useStrings(strings);
  const id = params.id ?? '';
  const account = useAsync(() => api.get<Account>(`/api/v1/merchant/accounts/${enc(id)}`), [id]);
  const rules = useAsync(() => replyApi.list(id), [id]);
  if (account.error) return <PageLoadError title={s('title')} error={account.error} />;
  if (!account.data) return <Loading />;
  const fallback = rules.data?.find((r) => r.match === 'default');
  return (
    <Page title={s('title')} description={s('description')}>
      <Welcome key={account.data.id} account={account.data} onSaved={account.set} />
      <Rules accountId={id} rules={rules.data} loading={rules.loading} error={rules.error} onRetry={rules.reload} onChanged={rules.reload} />
      {rules.data ? <DefaultReply key={fallback ? `${fallback.id}:${fallback.replyText}` : 'none'} accountId={id} rule={fallback} onChanged={rules.reload} /> : null}
    </Page>
  );
}
