import { SelectField, TextField } from '../../kit/index.ts';
import { useStrings } from '../../lib/i18n.ts';
import { LEAF_TYPES, LIMITS, needsArticle, needsKey, needsMedia, needsUrl, utf8Bytes, type ButtonProblems, type DraftButton, type LeafType } from './model.ts';
import { strings } from './strings.ts';

/** The fields of one button: its name and, for a button that does something, its type and that type's fields. */
export function ButtonForm({ button, isTop, problems, onChange }: { button: DraftButton; isTop: boolean; problems: ButtonProblems; onChange: (b: DraftButton) => void }) {
  const s = useStrings(strings);
  const max = isTop ? LIMITS.topNameBytes : LIMITS.subNameBytes;
  const err = (f: keyof ButtonProblems) => {
    const p = problems[f];
    return p ? s(p, { max }) : undefined;
  };
  const set = (patch: Partial<DraftButton>) => onChange({ ...button, ...patch });
  const parent = button.subs.length > 0;
  const t = button.type;
  return (
    <div className="form-grid" data-testid="button-form">
      <TextField label={s('name')} value={button.name} onChange={(name) => set({ name })} error={err('name')} hint={s('nameBytes', { n: utf8Bytes(button.name.trim()), max })} required />
      {parent ? (
        <p className="hint">{s('parentNote')}</p>
      ) : (
        <>
          <SelectField<LeafType> label={s('type')} value={t} onChange={(type) => set({ type, key: needsKey(type) && !button.key ? `KEY_${button.uid}` : button.key })} options={LEAF_TYPES.map((v) => ({ value: v, label: s(`t_${v}`) }))} />
          {needsKey(t) ? <TextField label={s('key')} value={button.key} onChange={(key) => set({ key })} error={err('key')} hint={s('keyHint')} required maxLength={128} /> : null}
          {t === 'miniprogram' ? (
            <>
              <TextField label={s('appid')} value={button.appid} onChange={(appid) => set({ appid })} error={err('appid')} required placeholder="wx0123456789abcdef" />
              <TextField label={s('pagepath')} value={button.pagepath} onChange={(pagepath) => set({ pagepath })} error={err('pagepath')} required placeholder="pages/index/index" />
            </>
          ) : null}
          {needsUrl(t) ? <TextField label={s('url')} type="url" value={button.url} onChange={(url) => set({ url })} error={err('url')} hint={t === 'miniprogram' ? s('miniHint') : undefined} required placeholder="https://" /> : null}
          {needsMedia(t) ? <TextField label={s('mediaId')} value={button.mediaId} onChange={(mediaId) => set({ mediaId })} error={err('mediaId')} required /> : null}
          {needsArticle(t) ? <TextField label={s('articleId')} value={button.articleId} onChange={(articleId) => set({ articleId })} error={err('articleId')} required /> : null}
        </>
      )}
    </div>
  );
}
