import { type ReactNode, useId } from 'react';

export type SortDir = 'asc' | 'desc';

export interface Column<T> {
  key: string;
  header: string;
  /** Right-aligned columns get tabular figures: money, counts, percentages. */
  align?: 'left' | 'right';
  sortable?: boolean;
  /** Without it the cell shows `row[key]` as text. */
  render?: (row: T) => ReactNode;
}

export interface DataTableProps<T> {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  sort?: { key: string; dir: SortDir };
  /** Builds a header's link; the page sorts on the server from the query string. */
  sortHref?: (key: string, dir: SortDir) => string;
  emptyMessage: string;
  /** Read by screen readers; the card's visible heading usually says the same. */
  caption: string;
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/**
 * The direction a header link asks for: the other one if the column is already
 * sorted, else biggest-first for numbers and A–Z for text.
 */
function nextDir<T>(column: Column<T>, sort: DataTableProps<T>['sort']): SortDir {
  if (sort?.key === column.key) return sort.dir === 'asc' ? 'desc' : 'asc';
  return column.align === 'right' ? 'desc' : 'asc';
}

function cell<T>(column: Column<T>, row: T): ReactNode {
  if (column.render) return column.render(row);
  const value = (row as Record<string, unknown>)[column.key];
  return value == null ? '' : String(value);
}

/** A server-rendered table whose sorting works as plain links. */
export function DataTable<T>(props: DataTableProps<T>) {
  const { columns, rows, rowKey, sort, sortHref, emptyMessage, caption } = props;
  const captionId = useId();
  return (
    <section
      className="table-wrap data-table-wrap"
      aria-labelledby={captionId}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users must be able to scroll a table wider than a phone
      tabIndex={0}
    >
      <table className="table data-table">
        <caption id={captionId} className="visually-hidden">
          {caption}
        </caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const sorted = sort?.key === column.key ? sort.dir : undefined;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={column.align === 'right' ? 'num' : undefined}
                  aria-sort={sorted ? ARIA_SORT[sorted] : undefined}
                >
                  {column.sortable && sortHref ? (
                    <SortLink
                      column={column}
                      sorted={sorted}
                      href={sortHref(column.key, nextDir(column, sort))}
                    />
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr className="data-table-empty">
              <td colSpan={columns.length}>{emptyMessage}</td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.key} className={column.align === 'right' ? 'num' : undefined}>
                    {cell(column, row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}

function SortLink<T>(props: { column: Column<T>; sorted: SortDir | undefined; href: string }) {
  const { column, sorted, href } = props;
  const arrow = sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕';
  return (
    <a className={`sort-link${sorted ? ' sorted' : ''}`} href={href}>
      {column.header}
      <span className="sort-arrow" aria-hidden="true">
        {arrow}
      </span>
    </a>
  );
}
