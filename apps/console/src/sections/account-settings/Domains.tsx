import { useState } from 'react';
import { Card, SaveForm, TextField, useSave, useToast, type FieldErrors } from '../../kit/index.ts';
import { api, enc, type Account } from '../../lib/api.ts';
import { common, useStrings } from '../../lib/i18n.ts';
import { strings } from './strings.ts';

const DOMAIN = /^[a-z0-9.-]+(:\d+)?$/;

/** Web-page (OAuth redirect) and JS-SDK domains; an empty box clears one. */
export function Domains({ account, onSaved }: { account: Account; onSaved: (a: Account) => void }) {
  const t = useStrings(common);
  const s = useStrings(strings);
  const toast = useToast();
  const [web, setWeb] = useState(account.webDomain ?? '');
  const [jssdk, setJssdk] = useState(account.jssdkDomain ?? '');
  const [errors, setErrors] = useState<FieldErrors<'web' | 'jssdk'>>({});
  const { busy, run } = useSave((message) => setErrors({ web: message }));
  function save() {
    const w = web.trim().toLowerCase();
    const j = jssdk.trim().toLowerCase();
    const errs: FieldErrors<'web' | 'jssdk'> = {};
    if (w && !DOMAIN.test(w)) errs.web = s('domainRule');
    if (j && !DOMAIN.test(j)) errs.jssdk = s('domainRule');
    setErrors(errs);
    if (errs.web || errs.jssdk) return;
    void run(async () => {
      onSaved(await api.put<Account>(`/api/v1/merchant/accounts/${enc(account.id)}/domains`, { webDomain: w || null, jssdkDomain: j || null }));
      toast(t('saved'));
    });
  }
  return (
    <Card title={s('domains')}>
      <SaveForm busy={busy} onSubmit={save}>
        <TextField label={s('webDomain')} value={web} onChange={setWeb} error={errors.web} hint={s('domainRule')} placeholder="shop.example.com" />
        <TextField label={s('jssdkDomain')} value={jssdk} onChange={setJssdk} error={errors.jssdk} placeholder="shop.example.com" />
      </SaveForm>
    </Card>
  );
}
