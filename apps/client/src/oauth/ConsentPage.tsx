import { useEffect, useState, type CSSProperties } from 'react';
import { ApiError } from '../lib/api.ts';
import { useT, type Strings } from '../lib/i18n.ts';
import { navigate } from '../lib/router.ts';
import { Avatar } from '../ui.tsx';
import { consentApi, isHttpUrl, type ConsentRequest, type SharedField } from './consentApi.ts';

/** What the account will get, in words: "your nickname and avatar (and region, sex)". */
export function describeFields(t: Strings, fields: readonly SharedField[]): string {
  if (!fields.includes('nickname') && !fields.includes('avatar')) return t.oauthOpenidOnly;
  const extra = [fields.includes('region') ? t.oauthRegion : '', fields.includes('sex') ? t.oauthSex : ''].filter(Boolean);
  return t.oauthProfile + (extra.length > 0 ? t.oauthMore(extra) : '');
}

const wrap: CSSProperties = { display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 12, padding: '28px 20px 20px', maxWidth: 420, margin: '0 auto', width: '100%', boxSizing: 'border-box' };
const card: CSSProperties = { width: '100%', background: '#fff', borderRadius: 10, padding: '14px 16px', boxSizing: 'border-box', fontSize: 15, lineHeight: 1.5 };
const actions: CSSProperties = { display: 'flex', flexDirection: 'column', gap: 10, width: '100%', marginTop: 8 };

/** Inside the web view's iframe there is no client shell around us: "back" is the frame's own history. */
const inFrame = () => window.self !== window.top;

/**
 * `/oauth/consent?request=<id>`: the account asks for the consumer's profile (snsapi_userinfo). A plain
 * page (no tab bar, no topbar): it opens top-level or inside the web view's iframe, where the merchant's
 * page sent the frame to /connect/oauth2/authorize. Allow / Refuse both leave by a full navigation to
 * the redirect the platform answers (the merchant's redirect_uri with a code, or with its state only).
 * The session cookie (lj_c, SameSite=Lax) does reach us inside the iframe, even when the merchant's page is
 * on another site: the frame's top-level document is the client, on the platform's own site, so the
 * navigation is same-site for cookies (checked in Chromium with a localhost merchant vs a 127.0.0.1 platform).
 */
export function ConsentPage({ requestId }: { requestId: string | null }) {
  const t = useT();
  const [req, setReq] = useState<ConsentRequest | undefined>(undefined);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!requestId) {
      setError(t.oauthExpired);
      return;
    }
    let live = true;
    consentApi.get(requestId).then(
      (r) => {
        if (live) setReq(r);
      },
      (err: unknown) => {
        if (live) setError(err instanceof ApiError && err.status === 404 ? t.oauthExpired : `${t.oauthFailed} ${err instanceof Error ? err.message : ''}`);
      },
    );
    return () => {
      live = false;
    };
    // The request id alone decides what we show; the language can change the message later.
  }, [requestId]);

  const decide = async (approve: boolean) => {
    if (!requestId) return;
    setBusy(true);
    setError('');
    try {
      const { redirect } = approve ? await consentApi.approve(requestId) : await consentApi.deny(requestId);
      if (!isHttpUrl(redirect)) throw new Error(redirect);
      window.location.assign(redirect);
    } catch (err) {
      setBusy(false);
      setError(err instanceof ApiError && err.status === 404 ? t.oauthExpired : `${t.oauthFailed} ${err instanceof Error ? err.message : ''}`);
    }
  };

  const leave = () => (inFrame() && window.history.length > 1 ? window.history.back() : navigate('/chats', { replace: true }));

  if (!req) {
    return (
      <div className="page" style={wrap} aria-busy={error ? undefined : true}>
        <h1 style={{ fontSize: 17, margin: 0 }}>{t.oauthTitle}</h1>
        {error ? (
          <>
            <p role="alert" className="error" style={{ textAlign: 'center' }}>
              {error}
            </p>
            <button type="button" className="btn" onClick={leave}>
              {t.back}
            </button>
          </>
        ) : null}
      </div>
    );
  }

  const name = req.account.name;
  return (
    <div className="page" style={wrap}>
      {/* Inside the web view the title bar still shows the merchant's address: say whose screen this is. */}
      <p style={{ margin: 0, fontSize: 13, color: '#888' }}>{t.oauthTitle}</p>
      <Avatar name={name} url={req.account.avatarUrl} size={64} />
      <h1 style={{ fontSize: 19, margin: 0, textAlign: 'center' }}>{name}</h1>
      <section style={card} aria-labelledby="consent-asks">
        <p id="consent-asks" style={{ margin: 0, fontWeight: 600 }}>
          {t.oauthRequests(name)}
        </p>
        <p data-testid="consent-fields" style={{ margin: '4px 0 0', color: '#333' }}>
          • {describeFields(t, req.fields)}
        </p>
        <p style={{ margin: '10px 0 0', fontSize: 13, color: '#888' }}>
          {t.oauthReturnTo} <strong data-testid="consent-host">{req.redirectHost}</strong>
        </p>
      </section>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      <div style={actions}>
        <button type="button" className="btn btn-primary" aria-label={t.oauthAllowLabel(name)} disabled={busy} onClick={() => void decide(true)}>
          {t.oauthAllow}
        </button>
        <button type="button" className="btn" aria-label={t.oauthRefuseLabel(name)} disabled={busy} onClick={() => void decide(false)}>
          {t.oauthRefuse}
        </button>
      </div>
    </div>
  );
}
