import { formatNumber } from '../../lib/format/numbers';

export interface PaginationProps {
  /** 1-based. */
  page: number;
  pageSize: number;
  /** Rows in all; or, where counting them would cost too much, `shown` and `hasNext`. */
  total?: number;
  /** Without a total: rows on this page. */
  shown?: number;
  /** Without a total: whether another page follows. */
  hasNext?: boolean;
  href: (page: number) => string;
  /** Distinguishes two paginations on one page. */
  label?: string;
}

/** Previous / Page 2 of 9 / Next as plain links, so paging works without JavaScript. */
export function Pagination(props: PaginationProps) {
  const { page, pageSize, total, href, label = 'Pagination' } = props;
  if (total === undefined) return <OpenEndedPagination {...props} />;
  if (total <= 0) return null;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pages);
  const first = (current - 1) * pageSize + 1;
  const last = Math.min(total, current * pageSize);
  const range = `Showing ${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(total)}`;
  if (pages === 1) return <p className="pagination-summary">{range}</p>;
  return (
    <Controls
      label={label}
      range={range}
      status={`Page ${current} of ${pages}`}
      previous={current > 1 ? href(current - 1) : undefined}
      next={current < pages ? href(current + 1) : undefined}
    />
  );
}

/** Pages of a list whose length is not counted: where you are, and whether there is more. */
function OpenEndedPagination({
  page,
  pageSize,
  shown = 0,
  hasNext = false,
  href,
  label = 'Pagination',
}: PaginationProps) {
  const current = Math.max(1, page);
  if (shown <= 0 && current === 1) return null;
  const first = (current - 1) * pageSize + 1;
  const range =
    shown > 0
      ? `Showing ${formatNumber(first)}–${formatNumber(first + shown - 1)}`
      : 'Nothing on this page';
  if (current === 1 && !hasNext) return <p className="pagination-summary">{range}</p>;
  return (
    <Controls
      label={label}
      range={range}
      status={`Page ${current}`}
      previous={current > 1 ? href(current - 1) : undefined}
      next={hasNext ? href(current + 1) : undefined}
    />
  );
}

function Controls(props: {
  label: string;
  range: string;
  status: string;
  previous: string | undefined;
  next: string | undefined;
}) {
  return (
    <nav className="pagination" aria-label={props.label}>
      <p className="pagination-summary">{props.range}</p>
      <div className="pagination-controls">
        <PageLink to={props.previous} rel="prev">
          Previous
        </PageLink>
        <span className="pagination-status" aria-current="page">
          {props.status}
        </span>
        <PageLink to={props.next} rel="next">
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
