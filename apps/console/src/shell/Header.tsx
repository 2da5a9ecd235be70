import { common, setLang, useLang, useStrings, type Lang } from '../lib/i18n.ts';
import { useSession } from '../lib/session.tsx';
import { Badge } from '../kit/index.ts';

/** The top bar: menu toggle (narrow screens), organisation, the member and role, language, sign out. */
export function Header({ navOpen, onToggleNav }: { navOpen: boolean; onToggleNav: () => void }) {
  const t = useStrings(common);
  const lang = useLang();
  const { me, signOut } = useSession();
  return (
    <header className="topbar">
      <button type="button" className="nav-toggle" aria-controls="console-nav" aria-expanded={navOpen} onClick={onToggleNav}>
        {navOpen ? t('closeMenu') : t('openMenu')}
      </button>
      <span className="brand">{t('appName')}</span>
      <span className="org" data-testid="org-name">{me.org.name}</span>
      <span className="spacer" />
      <span className="user">
        {me.user.name} <Badge tone="info">{t(`role_${me.user.role}`)}</Badge>
      </span>
      <label className="lang">
        <span className="sr-only">{t('language')}</span>
        <select aria-label={t('language')} value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
          <option value="zh-CN">中文</option>
          <option value="en">English</option>
        </select>
      </label>
      <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>
        {t('signOut')}
      </button>
    </header>
  );
}
