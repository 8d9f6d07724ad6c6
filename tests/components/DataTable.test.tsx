// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { type Column, DataTable } from '../../src/components/dashboard/DataTable';
import { formatCurrency } from '../../src/lib/format/numbers';
import './dom';

interface Deal {
  id: string;
  candidate: string;
  weightedIff: number;
  market: string;
}

const deals: Deal[] = [
  { id: 'a', candidate: 'Ada Byron', weightedIff: 45_000, market: 'Austin' },
  { id: 'b', candidate: 'Grace Hopper', weightedIff: 30_000, market: 'Boston' },
];
const columns: Column<Deal>[] = [
  { key: 'candidate', header: 'Candidate', sortable: true },
  { key: 'market', header: 'Market' },
  {
    key: 'weightedIff',
    header: 'Weighted IFF',
    align: 'right',
    sortable: true,
    render: (deal) => formatCurrency(deal.weightedIff),
  },
];
const sortHref = (key: string, dir: string) => `/hot-list?sort=${key}&dir=${dir}`;

function renderTable(rows: Deal[], sort?: { key: string; dir: 'asc' | 'desc' }) {
  render(
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(deal) => deal.id}
      sort={sort}
      sortHref={sortHref}
      emptyMessage="Nothing on the hot list yet."
      caption="Hot list"
    />,
  );
  return screen.getByRole('table', { name: 'Hot list' });
}

describe('DataTable', () => {
  it('renders a row per item with plain and formatted cells', () => {
    const table = renderTable(deals);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      'Ada ByronAustin$45,000',
      'Grace HopperBoston$30,000',
    ]);
    expect(within(rows[0] as HTMLElement).getByText('$45,000')).toHaveClass('num');
  });

  it('makes sortable headers links that flip the current direction, with aria-sort', () => {
    renderTable(deals, { key: 'weightedIff', dir: 'desc' });
    const sorted = screen.getByRole('columnheader', { name: /Weighted IFF/ });
    expect(sorted).toHaveAttribute('aria-sort', 'descending');
    expect(within(sorted).getByRole('link')).toHaveAttribute(
      'href',
      '/hot-list?sort=weightedIff&dir=asc',
    );
    expect(within(sorted).getByText('▼')).toHaveAttribute('aria-hidden', 'true');
    const other = screen.getByRole('columnheader', { name: /Candidate/ });
    expect(other).not.toHaveAttribute('aria-sort');
    expect(within(other).getByRole('link')).toHaveAttribute(
      'href',
      '/hot-list?sort=candidate&dir=asc',
    );
  });

  it('starts numeric columns biggest first and leaves unsortable headers as text', () => {
    renderTable(deals, { key: 'candidate', dir: 'asc' });
    expect(screen.getByRole('link', { name: /Weighted IFF/ })).toHaveAttribute(
      'href',
      '/hot-list?sort=weightedIff&dir=desc',
    );
    expect(screen.getByRole('columnheader', { name: /Candidate/ })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    expect(within(screen.getByRole('columnheader', { name: 'Market' })).queryByRole('link')).toBe(
      null,
    );
  });

  it('shows the empty message across all columns when there are no rows', () => {
    const table = renderTable([]);
    const cell = within(table).getByRole('cell', { name: 'Nothing on the hot list yet.' });
    expect(cell).toHaveAttribute('colspan', '3');
  });

  it('wraps the table in a focusable region so narrow screens can scroll it', () => {
    renderTable(deals);
    const region = screen.getByRole('region', { name: 'Hot list' });
    expect(region).toHaveAttribute('tabindex', '0');
    expect(region).toHaveClass('table-wrap');
  });
});
