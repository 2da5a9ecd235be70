import { useState, type FormEvent } from 'react';
import { Button, Card, NumberField, SelectField, TextField, useToast, type FieldErrors } from '../../kit/index.ts';
import { errorText } from '../../lib/api.ts';
import { useStrings } from '../../lib/i18n.ts';
import { QR_LIMITS, qrApi, type QrCode } from './api.ts';
import { strings } from './strings.ts';

type Kind = 'permanent' | 'temporary';
type Unit = 'minutes' | 'hours' | 'days';
const UNIT_SECONDS: Record<Unit, number> = { minutes: 60, hours: 3600, days: 86_400 };

/** Create a named code: permanent, or temporary with a lifetime (1 minute – 30 days), optional scene value. */
export function CreateForm({ accountId, existing, onCreated }: { accountId: string; existing: readonly QrCode[]; onCreated: () => void }) {
  const s = useStrings(strings);
  const toast = useToast();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Kind>('permanent');
  const [amount, setAmount] = useState<number | undefined>(7);
  const [unit, setUnit] = useState<Unit>('days');
  const [scene, setScene] = useState('');
  const [errors, setErrors] = useState<FieldErrors<'name' | 'amount' | 'scene' | 'form'>>({});
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = name.trim();
    const seconds = amount === undefined ? NaN : Math.round(amount * UNIT_SECONDS[unit]);
    const next: FieldErrors<'name' | 'amount' | 'scene' | 'form'> = {};
    if (n.length < 1 || n.length > QR_LIMITS.nameMax) next.name = s('nameRule');
    if (kind === 'temporary' && !(seconds >= 60 && seconds <= QR_LIMITS.temporaryMaxSeconds)) next.amount = s('validRule');
    if (scene.trim().length > QR_LIMITS.sceneMax) next.scene = s('sceneRule');
    setErrors(next);
    if (Object.keys(next).length) return;
    setBusy(true);
    try {
      const sceneStr = scene.trim() || undefined;
      const known = kind === 'permanent' && sceneStr !== undefined && existing.some((q) => q.permanent && q.sceneStr === sceneStr);
      await qrApi.create(accountId, { name: n, permanent: kind === 'permanent', ...(sceneStr ? { sceneStr } : {}), ...(kind === 'temporary' ? { expireSeconds: seconds } : {}) });
      toast(known ? s('existing') : s('created'), known ? 'info' : 'success');
      setName('');
      setScene('');
      onCreated();
    } catch (err) {
      setErrors({ form: errorText(err) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title={s('create')}>
      <form className="form-grid" noValidate onSubmit={(e) => void submit(e)}>
        <TextField label={s('name')} value={name} onChange={setName} error={errors.name} hint={s('nameHint')} required maxLength={QR_LIMITS.nameMax + 10} />
        <SelectField<Kind> label={s('kind')} value={kind} onChange={setKind} hint={s('kindHint')} options={[{ value: 'permanent', label: s('permanent') }, { value: 'temporary', label: s('temporary') }]} />
        {kind === 'temporary' ? (
          <div className="field-row">
            <NumberField label={s('validFor')} value={amount} onChange={setAmount} error={errors.amount} min={1} required />
            <SelectField<Unit> label={s('unit')} value={unit} onChange={setUnit} options={[{ value: 'minutes', label: s('minutes') }, { value: 'hours', label: s('hours') }, { value: 'days', label: s('days') }]} />
          </div>
        ) : null}
        <TextField label={s('scene')} value={scene} onChange={setScene} error={errors.scene} hint={s('sceneHint')} maxLength={QR_LIMITS.sceneMax + 10} />
        {errors.form ? <p className="field-error" role="alert">{errors.form}</p> : null}
        <div>
          <Button type="submit" variant="primary" busy={busy}>
            {s('create')}
          </Button>
        </div>
      </form>
    </Card>
  );
}
