import { useState, type FormEvent } from 'react';
import { Button, Card, ConfirmDialog, SelectField, Table, TextField, TextareaField, useToast } from '../../kit/index.ts';
import { ApiError, errorText } from '../../lib/api.ts';
import { defineStrings, useStrings } from '../../lib/i18n.ts';
import { useCan } from '../../lib/session.tsx';
import { useAsync } from '../../lib/use-async.ts';
import { download, payApi, when, type PayAccount, type PayCredentials } from './api.ts';

const strings = defineStrings({
  en: {
    account: 'Pay account',
    none: 'Your organisation has no Pay account yet. Open one to accept payments (owners only).',
    appid: 'Official account appid (optional)',
    appidHint: 'Leave empty to use your first official account.',
    open: 'Open Pay account',
    secrets: 'Your keys — shown only now',
    secretsHint: 'Download them and keep them safe. Lianjie does not keep your private key and cannot show these again.',
    downloadJson: 'Download keys (JSON)',
    downloadPem: 'Download private key (PEM)',
    dismiss: 'I saved them',
    mchId: 'Merchant id (mch_id)',
    serial: 'Your certificate serial',
    mode: 'Verify responses with',
    certificate: 'Platform certificates',
    public_key: 'Platform public key (PUB_KEY_ID)',
    keys: 'Platform keys',
    pkSerial: 'Serial', pkId: 'Public key id', valid: 'Valid until',
    pem: 'Download PEM',
    rotate: 'Add a new platform key',
    retire: 'Retire old keys',
    retireTitle: 'Retire every platform key but the newest?',
    retireBody: 'Clients still verifying with an old key will fail. Update them first.',
    reset: 'Reset API keys',
    resetV2: 'Reset API v2 key…',
    resetV3: 'Reset APIv3 key…',
    resetTitle: 'Replace the {which} key?',
    resetBody: 'The old key stops working at once: your servers must switch to the new one.',
    word: 'RESET',
    newKey: 'New {which} key (shown once): {key}',
    upload: 'Use your own key pair',
    uploadHint: 'Paste your certificate (PEM), or your RSA public key with the serial you will send.',
    cert: 'Certificate (PEM)', pub: 'Public key (PEM)', pubSerial: 'Serial',
    uploadDo: 'Upload',
    saved: 'Saved',
    needOne: 'Paste a certificate or a public key',
  },
  zh: {
    account: '支付账户',
    none: '你的组织还没有支付账户。开通后即可收款（仅所有者）。',
    appid: '公众号 appid（可选）',
    appidHint: '留空则使用第一个公众号。',
    open: '开通支付账户',
    secrets: '你的密钥——只显示这一次',
    secretsHint: '请下载并妥善保管。连接不保存你的私钥，也无法再次显示。',
    downloadJson: '下载密钥（JSON）',
    downloadPem: '下载私钥（PEM）',
    dismiss: '我已保存',
    mchId: '商户号（mch_id）',
    serial: '商户证书序列号',
    mode: '验签方式',
    certificate: '平台证书',
    public_key: '平台公钥（PUB_KEY_ID）',
    keys: '平台密钥',
    pkSerial: '序列号', pkId: '公钥 ID', valid: '有效期至',
    pem: '下载 PEM',
    rotate: '新增平台密钥',
    retire: '停用旧密钥',
    retireTitle: '停用除最新之外的所有平台密钥？',
    retireBody: '仍使用旧密钥验签的客户端将失败，请先更新它们。',
    reset: '重置 API 密钥',
    resetV2: '重置 API v2 密钥…',
    resetV3: '重置 APIv3 密钥…',
    resetTitle: '更换 {which} 密钥？',
    resetBody: '旧密钥立即失效：你的服务器必须改用新密钥。',
    word: '重置',
    newKey: '新的 {which} 密钥（只显示一次）：{key}',
    upload: '使用自己的密钥对',
    uploadHint: '粘贴你的证书（PEM），或 RSA 公钥及你将发送的序列号。',
    cert: '证书（PEM）', pub: '公钥（PEM）', pubSerial: '序列号',
    uploadDo: '上传',
    saved: '已保存',
    needOne: '请粘贴证书或公钥',
  },
});

/** Pay account keys and certificates (permission pay.keys; changes are owner-only on the server). */
export function Keys() {
  const s = useStrings(strings);
  const can = useCan();
  const toast = useToast();
  const acc = useAsync(async () => {
    try {
      return await payApi.account();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  });
  const [appid, setAppid] = useState('');
  const [creds, setCreds] = useState<PayCredentials>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [retiring, setRetiring] = useState(false);
  const [resetting, setResetting] = useState<'v2' | 'v3'>();
  const [newKey, setNewKey] = useState<string>();
  const [up, setUp] = useState({ certificate: '', publicKey: '', serial: '' });
  const [upError, setUpError] = useState<string>();

  async function run(f: () => Promise<PayAccount>) {
    try {
      acc.set(await f());
      toast(s('saved'), 'success');
    } catch (e) {
      toast(errorText(e), 'error');
    }
  }

  async function open(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const c = await payApi.openAccount(appid.trim() || undefined);
      setCreds(c);
      acc.set(c);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!up.certificate.trim() && !up.publicKey.trim()) return setUpError(s('needOne'));
    setUpError(undefined);
    try {
      acc.set(await payApi.uploadMerchantKey(up.certificate.trim() ? { certificate: up.certificate.trim() } : { publicKey: up.publicKey.trim(), serial: up.serial.trim() }));
      toast(s('saved'), 'success');
    } catch (err) {
      setUpError(errorText(err));
    }
  }

  if (acc.error) return <Card title={s('account')}><p role="alert">{errorText(acc.error)}</p><Button onClick={acc.reload}>↻</Button></Card>;
  if (acc.data === undefined) return <Card title={s('account')}><p className="muted">…</p></Card>;
  const a = acc.data;
  return (
    <>
      {creds ? (
        <Card title={s('secrets')}>
          <p role="alert">{s('secretsHint')}</p>
          <dl className="kv">
            <div><dt>{s('mchId')}</dt><dd>{creds.mchId}</dd></div>
            <div><dt>API v2</dt><dd><code>{creds.apiV2Key}</code></dd></div>
            <div><dt>APIv3</dt><dd><code>{creds.apiV3Key}</code></dd></div>
          </dl>
          <div className="actions">
            <Button variant="primary" onClick={() => download(`lianjie-pay-${creds.mchId}.json`, JSON.stringify(creds, null, 2), 'application/json')}>{s('downloadJson')}</Button>
            <Button onClick={() => download(`apiclient_key-${creds.mchId}.pem`, creds.merchantPrivateKey, 'application/x-pem-file')}>{s('downloadPem')}</Button>
            <Button variant="ghost" onClick={() => setCreds(undefined)}>{s('dismiss')}</Button>
          </div>
        </Card>
      ) : null}
      {a === null ? (
        <Card title={s('account')}>
          <p>{s('none')}</p>
          <form className="form-grid" onSubmit={(e) => void open(e)} noValidate>
            <TextField label={s('appid')} value={appid} onChange={setAppid} hint={s('appidHint')} error={error} maxLength={32} />
            <div><Button type="submit" variant="primary" busy={busy}>{s('open')}</Button></div>
          </form>
        </Card>
      ) : (
        <>
          <Card title={s('account')}>
            <dl className="kv">
              <div><dt>{s('mchId')}</dt><dd>{a.mchId}</dd></div>
              <div><dt>appid</dt><dd>{a.appid}</dd></div>
              <div><dt>{s('serial')}</dt><dd>{a.merchantCertSerial}</dd></div>
            </dl>
            <SelectField label={s('mode')} value={a.verifyMode} disabled={!can('pay.keys')} onChange={(m) => void run(() => payApi.verifyMode(m))} options={[{ value: 'certificate' as const, label: s('certificate') }, { value: 'public_key' as const, label: s('public_key') }]} />
          </Card>
          <Card title={s('keys')} actions={<><Button onClick={() => void run(() => payApi.rotate())}>{s('rotate')}</Button>{a.platformKeys.length > 1 ? <Button variant="danger" onClick={() => setRetiring(true)}>{s('retire')}</Button> : null}</>}>
            <Table rows={a.platformKeys} rowKey={(k) => k.serial} empty={{ text: '—' }}
              columns={[
                { key: 'serial', header: s('pkSerial'), render: (k) => k.serial },
                { key: 'id', header: s('pkId'), render: (k) => k.publicKeyId },
                { key: 'until', header: s('valid'), render: (k) => when(k.notAfter) },
                { key: 'pem', header: '', render: (k) => <Button variant="ghost" aria-label={`${s('pem')} ${k.serial}`} onClick={() => download(`wechatpay_${k.serial}.pem`, k.certificate, 'application/x-pem-file')}>{s('pem')}</Button> },
              ]} />
          </Card>
          <Card title={s('reset')}>
            {newKey ? <p role="status"><code>{newKey}</code></p> : null}
            <div className="actions">
              <Button variant="danger" onClick={() => setResetting('v2')}>{s('resetV2')}</Button>
              <Button variant="danger" onClick={() => setResetting('v3')}>{s('resetV3')}</Button>
            </div>
          </Card>
          <Card title={s('upload')}>
            <p className="muted">{s('uploadHint')}</p>
            <form className="form-grid" onSubmit={(e) => void upload(e)} noValidate>
              <TextareaField label={s('cert')} value={up.certificate} onChange={(v) => setUp((u) => ({ ...u, certificate: v }))} rows={4} error={upError} />
              <TextareaField label={s('pub')} value={up.publicKey} onChange={(v) => setUp((u) => ({ ...u, publicKey: v }))} rows={4} />
              <TextField label={s('pubSerial')} value={up.serial} onChange={(v) => setUp((u) => ({ ...u, serial: v }))} maxLength={64} />
              <div><Button type="submit">{s('uploadDo')}</Button></div>
            </form>
          </Card>
        </>
      )}
      <ConfirmDialog open={retiring} title={s('retireTitle')} confirmLabel={s('retire')} danger onCancel={() => setRetiring(false)} onConfirm={async () => { acc.set(await payApi.retireOld()); setRetiring(false); }}>
        <p>{s('retireBody')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={resetting !== undefined}
        title={s('resetTitle', { which: resetting === 'v2' ? 'API v2' : 'APIv3' })}
        confirmLabel={s('reset')}
        danger
        typeToConfirm={s('word')}
        onCancel={() => setResetting(undefined)}
        onConfirm={async () => {
          if (!resetting) return;
          const { key } = await payApi.resetKey(resetting);
          setNewKey(s('newKey', { which: resetting === 'v2' ? 'API v2' : 'APIv3', key }));
          setResetting(undefined);
        }}
      >
        <p>{s('resetBody')}</p>
      </ConfirmDialog>
    </>
  );
}
