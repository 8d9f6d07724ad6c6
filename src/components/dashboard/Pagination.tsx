import { formatNumber } from '../../lib/format/numbers';

export interface PaginationProps {
  /** 1-based. */
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
  /** Distinguishes two paginations on one page. */
  label?: string;
}

/** Previous / Page 2 of 9 / Next as plain links, so paging works without JavaScript. */
export function Pagination({ page, pageSize, total, href, label = 'Pagination' }: PaginationProps) {
  if (total <= 0) return null;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const first = (current - 1) * pageSize + 1;
  const last = Math.min(total, current * pageSize);
  const range = `Showing ${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(total)}`;
  if (pages === 1) return <p className="pagination-summary">{range}</p>;
  return (
    <nav className="pagination" aria-label={label}>
      <p className="pagination-summary">{range}</p>
      <div className="pagination-controls">
        <PageLink to={current > 1 ? href(current - 1) : undefined} rel="prev">
          Previous
        </PageLink>
        <span className="pagination-status" aria-current="page">
          Page {current} of {pages}
        </span>
        <PageLink to={current < pages ? href(current + 1) : undefined} rel="next">
          Next
        </PageLink>
      </div>
    </nav>
  );
}

/** At either end the control stays in place, shown disabled, so the layout doesn't jump. */
function PageLink(props: { to: string | undefined; rel: 'prev' | 'next'; children: string }) {
  const { to, rel, children } = props;
  if (!to) {
    return (
      <span className="button secondary pagination-link" aria-disabled="true">
        {children}
      </span>
    );
  }
  return (
    <a className="button secondary pagination-link" href={to} rel={rel}>
      {children}
    </a>
  );
}
