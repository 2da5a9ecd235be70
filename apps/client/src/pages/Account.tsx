import { useCallback, useEffect, useState } from 'react';
import { api, errorText, type AccountView } from '../lib/api.ts';
import { useT } from '../lib/i18n.ts';
import { navigate } from '../lib/router.ts';
import { threadStore } from '../lib/threads.ts';
import { Avatar, TopBar } from '../ui.tsx';
import { socialApi } from '../social/api.ts';
import { ShareAccountButton } from '../social/ShareSheet.tsx';
import { AccountSafety } from './AccountSafety.tsx';

/** An account's profile: follow/unfollow, block, and what the account knows about the consumer. */
/** `via`: the id of the shared account card this profile was opened from (a follow is then attributed). */
export function AccountPage({ accountId, via }: { accountId: string; via?: string | null }) {
  const t = useT();
  const [account, setAccount] = useState<AccountView | undefined>();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    api.account(accountId).then(setAccount, (e: unknown) => setError(errorText(e)));
  }, [accountId]);
  useEffect(load, [load]);

  const act = async (fn: () => Promise<unknown>, then?: () => void) => {
    setBusy(true);
    setError('');
    try {
      await fn();
      void threadStore.refresh();
      load();
      then?.();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <TopBar title={t.profile} back="/chats" />
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {account ? (
        <>
          <section className="profile card">
            <Avatar name={account.name} url={account.avatarUrl} size={72} />
            <h2 className="profile-name">{account.name}</h2>
            <p className="muted small">{account.type === 'service' ? t.serviceAccount : t.subscriptionAccount}</p>
            {account.description ? <p className="profile-desc">{account.description}</p> : null}
            <div className="profile-actions">
              {account.following ? (
                <>
                  <button type="button" className="btn btn-primary" onClick={() => navigate(`/chat/${account.id}`)}>
                    {t.message}
                  </button>
                  <button type="button" className="btn" disabled={busy} onClick={() => act(() => api.unfollow(account.id))}>
                    {t.unfollow}
                  </button>
                </>
              ) : (
                <button type="button" className="btn btn-primary" disabled={busy} onClick={() => act(() => (via ? socialApi.followShare(via) : api.follow(account.id)), () => navigate(`/chat/${account.id}`))}>
                  {t.follow}
                </button>
              )}
              <ShareAccountButton accountId={account.id} />
            </div>
          </section>
          <AccountSafety account={account} />
          {account.following ? (
            <section className="card">
              <label className="switch-row">
                <span>{t.block}</span>
                <input type="checkbox" role="switch" checked={account.blocked} disabled={busy} onChange={(e) => act(() => api.setBlocked(account.id, e.target.checked))} />
              </label>
            </section>
          ) : null}
          <section className="card knows" aria-labelledby="knows-title">
            <h3 id="knows-title">{t.knows}</h3>
            {account.openid ? (
              <dl>
                <dt>{t.yourOpenid}</dt>
                <dd>
                  <code>{account.openid}</code>
                </dd>
                {account.followedAt ? (
                  <>
                    <dt>{t.followedSince}</dt>
                    <dd>
                      {new Date(account.followedAt).toLocaleString()} · {sceneLabel(t, account.subscribeScene)}
                    </dd>
                  </>
                ) : null}
                <dt>{t.profileShared}</dt>
                <dd>
                  {account.profileSharedAt ? (
                    <>
                      {t.profileSharedYes} ({new Date(account.profileSharedAt).toLocaleDateString()}){' '}
                      <button type="button" className="btn btn-small" disabled={busy} onClick={() => act(() => api.stopSharingProfile(account.id))}>
                        {t.stopSharing}
                      </button>
                    </>
                  ) : (
                    t.profileSharedNo
                  )}
                </dd>
                <dt>{t.sharedFields}</dt>
                <dd>{t.sharedFieldsList}</dd>
              </dl>
            ) : (
              <p className="muted">{t.notFollowing}</p>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}

/** How the consumer came to follow, in words (the merchant sees it as subscribe_scene). */
function sceneLabel(t: ReturnType<typeof useT>, scene: string | null): string {
  switch (scene) {
    case 'ADD_SCENE_QR_CODE':
      return t.sceneQr;
    case 'ADD_SCENE_SEARCH':
      return t.sceneSearch;
    case 'ADD_SCENE_PROFILE_CARD':
      return t.sceneCard;
    default:
      return t.sceneOther;
  }
}
