import { useT } from '../lib/i18n.ts';
import { Icon, Link, TopBar } from '../ui.tsx';

/** Discover: the ways to find accounts (scan, search). */
export function DiscoverPage() {
  const t = useT();
  return (
    <div className="page">
      <TopBar title={t.discover} />
      <ul className="list cells">
        <li>
          <Link to="/scan" className="list-row cell">
            <span className="cell-icon" aria-hidden="true">
              <Icon name="scan" />
            </span>
            <span className="row-title">{t.scan}</span>
            <span className="chevron" aria-hidden="true">
              ›
            </span>
          </Link>
        </li>
        <li>
          <Link to="/search" className="list-row cell">
            <span className="cell-icon" aria-hidden="true">
              <Icon name="search" />
            </span>
            <span className="row-title">{t.searchAccounts}</span>
            <span className="chevron" aria-hidden="true">
              ›
            </span>
          </Link>
        </li>
      </ul>
    </div>
  );
}
