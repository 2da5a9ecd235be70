import { useState } from 'react';
import { Card, SaveForm, TextareaField, useSave, useToast } from '../../kit/index.ts';
import { api, enc, type Account } from '../../lib/api.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { strings } from './strings.ts';

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
/** A quick check before the server's exact one: IPv4 (optionally /0–32) or something IPv6-shaped. */
const looksLikeIp = (e: string) => {
  const [addr = '', bits, extra] = e.split('/');
  if (extra !== undefined) return false;
  if (IPV4.test(addr)) return addr.split('.').every((n) => Number(n) <= 255) && (bits === undefined || (/^\d{1,2}$/.test(bits) && Number(bits) <= 32));
  return bits === undefined && /^[0-9a-f:.]+$/i.test(addr) && addr.includes(':');
};

/** The addresses allowed to call the OA API with this account's credentials (enforced by /cgi-bin/*). */
export function IpAllowlist({ account, onSaved }: { account: Account; onSaved: (a: Account) => void }) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const toast = useToast();
  const [text, setText] = useState(account.ipAllowlist.join('\n'));
  const [error, setError] = useState<string>();
  const { busy, run } = useSave(setError);
  function save() {
    const ips = text.split(/[\s,;]+/).map((x) => x.trim()).filter(Boolean);
    const bad = ips.find((x) => !looksLikeIp(x));
    if (bad) return setError(s('ipBad', { entry: bad }));
    setError(undefined);
    void run(async () => {
      const a = await api.put<Account>(`/api/v1/merchant/accounts/${enc(account.id)}/ip-allowlist`, { ips });
      setText(a.ipAllowlist.join('\n'));
      onSaved(a);
      toast(t('saved'));
    });
  }
  return (
    <Card title={s('ipTitle')}>
      <SaveForm busy={busy} onSubmit={save}>
        <TextareaField label={s('ipLabel')} value={text} onChange={setText} error={error} hint={s('ipHint')} rows={4} spellCheck={false} />
      </SaveForm>
    </Card>
  );
}
