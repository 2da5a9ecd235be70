import { useState, type FormEvent } from 'react';
import { ApiError, call, errorText, type PublicAccount } from '../lib/api.ts';
import { useLang } from '../lib/i18n.ts';

/** Why a consumer reports an account (the server's categories). */
const CATEGORIES = ['spam', 'fraud', 'harassment', 'illegal', 'other'] as const;
type Category = (typeof CATEGORIES)[number];

const STRINGS = {
  en: {
    suspended: 'This account has been suspended by the platform. It is unavailable: you cannot send it messages or pay it.',
    suspendedTag: 'Suspended',
    report: 'Report this account',
    reportTitle: 'Report',
    reason: 'Reason',
    details: 'What happened? (optional)',
    send: 'Send report',
    cancel: 'Cancel',
    thanks: 'Thank you. The platform will review your report.',
    already: 'You already reported this account; the platform is reviewing it.',
    cat: { spam: 'Spam or ads', fraud: 'Fraud or scam', harassment: 'Harassment', illegal: 'Illegal content', other: 'Other' } as Record<Category, string>,
  },
  zh: {
    suspended: '该公众号已被平台暂停，暂不可用：无法发送消息或付款。',
    suspendedTag: '已暂停',
    report: '举报该公众号',
    reportTitle: '举报',
    reason: '举报原因',
    details: '补充说明（可选）',
    send: '提交举报',
    cancel: '取消',
    thanks: '感谢举报，平台将尽快核实。',
    already: '你已举报过该公众号，平台正在处理。',
    cat: { spam: '垃圾广告', fraud: '欺诈诈骗', harassment: '骚扰', illegal: '违法内容', other: '其他' } as Record<Category, string>,
  },
};

export const useSafetyStrings = () => STRINGS[useLang() === 'en' ? 'en' : 'zh'];

/** The 'suspended' tag for an account in lists (search results). */
export function SuspendedTag({ account }: { account: Pick<PublicAccount, 'status'> }) {
  const s = useSafetyStrings();
  return account.status === 'suspended' ? <span className="muted small"> · {s.suspendedTag}</span> : null;
}

/** On an account's profile: the suspension notice, and the "report" action (one open report per account). */
export function AccountSafety({ account }: { account: Pick<PublicAccount, 'id' | 'status'> }) {
  const s = useSafetyStrings();
  const [open, setOpen] = useState(false);
  const [category, setCategory] = useState<Category>('spam');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [error, setError] = useState('');

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await call('POST', `/api/v1/accounts/${encodeURIComponent(account.id)}/report`, { category, text: text.trim() });
      setDone(s.thanks);
      setOpen(false);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setDone(s.already);
        setOpen(false);
      } else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {account.status === 'suspended' ? (
        <p className="error" role="alert" data-testid="account-suspended">
          {s.suspended}
        </p>
      ) : null}
      <section className="card" aria-label={s.reportTitle}>
        {done ? <p className="muted small" role="status">{done}</p> : null}
        {!open && !done ? (
          <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>
            {s.report}
          </button>
        ) : null}
        {open ? (
          <form onSubmit={(e) => void submit(e)}>
            <label>
              {s.reason}
              <select value={category} onChange={(e) => setCategory(e.target.value as Category)}>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {s.cat[c]}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {s.details}
              <textarea value={text} maxLength={1000} rows={3} onChange={(e) => setText(e.target.value)} />
            </label>
            {error ? <p className="error" role="alert">{error}</p> : null}
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {s.send}
            </button>{' '}
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              {s.cancel}
            </button>
          </form>
        ) : null}
      </section>
    </>
  );
}
