import type { ReactNode } from 'react';
import { common, useStrings } from '../lib/i18n.ts';

/** A page of the console: its title (the h1), actions on the right, then the content. */
export function Page({ title, description, actions, children }: { title: string; description?: ReactNode; actions?: ReactNode; children?: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-head">
        <div>
          <h1 id="page-title">{title}</h1>
          {description ? <p className="muted">{description}</p> : null}
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

/** A titled box of content on a page. */
export function Card({ title, actions, children }: { title?: string; actions?: ReactNode; children?: ReactNode }) {
  return (
    <section className="card" aria-label={title}>
      {title || actions ? (
        <header className="card-head">
          {title ? <h2>{title}</h2> : <span />}
          {actions}
        </header>
      ) : null}
      <div className="card-body">{children}</div>
    </section>
  );
}

/** A section another change will fill: says what will be there. */
export function Placeholder({ title, description }: { title: string; description: string }) {
  const t = useStrings(common);
  return (
    <Page title={title}>
      <Card>
        <p className="placeholder">
          <strong>{t('comingSoon')}</strong> — {description}
        </p>
      </Card>
    </Page>
  );
}

/** A spinner line while something loads. */
export function Loading() {
  const t = useStrings(common);
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {t('loading')}
    </p>
  );
}
