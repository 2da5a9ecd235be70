import { useState } from 'react';
import { Button, Card, ConfirmDialog, useToast } from '../../kit/index.ts';
import { api, enc, type Account } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { strings } from './strings.ts';

const CONFIRM_WORD = 'RESET';

/** AppID and original ID; resetting the AppSecret (type-to-confirm) shows the new one once. */
export function Credentials({ account }: { account: Account }) {
  const s = useStrings(strings);
  const toast = useToast();
  const [asking, setAsking] = useState(false);
  const [secret, setSecret] = useState<string>();
  return (
    <Card title={s('credentials')}>
      <dl className="kv">
        <div><dt>AppID</dt><dd><code data-testid="appid">{account.appid}</code></dd></div>
        <div><dt>{s('originalId')}</dt><dd><code>{account.originalId}</code></dd></div>
        <div>
          <dt>{s('appsecret')}</dt>
          <dd>
            {secret ? (
              <span role="status">
                {s('newSecret')} <code data-testid="new-secret">{secret}</code>
              </span>
            ) : (
              <span className="muted">{s('secretHidden')}</span>
            )}
          </dd>
        </div>
      </dl>
      <Button variant="danger" onClick={() => setAsking(true)}>
        {s('reset')}
      </Button>
      <ConfirmDialog
        open={asking}
        title={s('resetTitle')}
        danger
        typeToConfirm={CONFIRM_WORD}
        confirmLabel={s('reset')}
        onCancel={() => setAsking(false)}
        onConfirm={async () => {
          const r = await api.post<{ appsecret: string }>(`/api/v1/merchant/accounts/${enc(account.id)}/secret/reset`);
          setSecret(r.appsecret);
          setAsking(false);
          toast(s('secretReset'));
        }}
      >
        <p>{s('resetBody')}</p>
      </ConfirmDialog>
    </Card>
  );
}
