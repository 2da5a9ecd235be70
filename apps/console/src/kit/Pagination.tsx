import { common, useStrings } from '../lib/i18n.ts';
import { Button } from './Button.tsx';

/** "Load more" under a cursor-paged list (our APIs return `nextCursor`). */
export function LoadMore({ hasMore, loading, onMore }: { hasMore: boolean; loading?: boolean; onMore: () => void }) {
  const t = useStrings(common);
  if (!hasMore) return null;
  return (
    <div className="load-more">
      <Button busy={loading ?? false} onClick={onMore}>
        {t('loadMore')}
      </Button>
    </div>
  );
}

/** Previous / next pages (1-based), for page-numbered lists. */
export function Pagination({ page, hasNext, onChange }: { page: number; hasNext: boolean; onChange: (page: number) => void }) {
  const t = useStrings(common);
  return (
    <nav className="pagination" aria-label="pagination">
      <Button disabled={page <= 1} onClick={() => onChange(page - 1)}>
        {t('previous')}
      </Button>
      <span aria-current="page">{page}</span>
      <Button disabled={!hasNext} onClick={() => onChange(page + 1)}>
        {t('next')}
      </Button>
    </nav>
  );
}
