import { Loading, Page, PageLoadError } from '../../kit/index.ts';
import { api, enc, type Account } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { useAsync } from '../../lib/use-async.ts';
import type { PageProps } from '../../routes.tsx';
import { Credentials } from './Credentials.tsx';
import { Domains } from './Domains.tsx';
import { IpAllowlist } from './IpAllowlist.tsx';
import { Profile } from './Profile.tsx';
import { ServerConfig } from './ServerConfig.tsx';
import { strings } from './strings.ts';

/** One official account's settings: profile, credentials, server configuration, domains, IP allowlist. */
export default function AccountSettings({ params }: PageProps) {
  const s = useStrings(strings);
  const id = params.id ?? '';
  const account = useAsync(() => api.get<Account>(`/api/v1/merchant/accounts/${enc(id)}`), [id]);
  if (account.error) return <PageLoadError title="—" error={account.error} />;
  if (!account.data) return <Loading />;
  const a = account.data;
  return (
    <Page title={s('title', { name: a.name })}>
      <Profile key={`p-${a.id}`} account={a} onSaved={account.set} />
      <Credentials key={`c-${a.id}`} account={a} />
      <ServerConfig key={`s-${a.id}`} account={a} onSaved={account.set} />
      <Domains key={`d-${a.id}`} account={a} onSaved={account.set} />
      <IpAllowlist key={`i-${a.id}`} account={a} onSaved={account.set} />
    </Page>
  );
}
