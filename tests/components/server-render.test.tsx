import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BarChart } from '../../src/components/dashboard/BarChart';
import { DataTable } from '../../src/components/dashboard/DataTable';
import { HorizontalBarChart } from '../../src/components/dashboard/HorizontalBarChart';
import { KPICard } from '../../src/components/dashboard/KPICard';
import { Pagination } from '../../src/components/dashboard/Pagination';
import { PieChart } from '../../src/components/dashboard/PieChart';
import { StageBadge } from '../../src/components/dashboard/StageBadge';
import { SyncStatusBanner } from '../../src/components/dashboard/SyncStatusBanner';

// No jsdom here: this is how Astro renders the components, and how the page looks without JavaScript.
const data = [
  { label: 'Website', value: 1204 },
  { label: 'Referral & partners', value: 310 },
];

describe('server rendering', () => {
  it('runs without a window', () => {
    expect(typeof window).toBe('undefined');
  });

  it.each([
    ['bar', BarChart],
    ['horizontal bar', HorizontalBarChart],
    ['pie', PieChart],
  ])('renders a %s chart as a visible table of its numbers', (_, Chart) => {
    const html = renderToString(<Chart title="Leads by source" data={data} />);
    expect(html).toContain('<caption class="visually-hidden">Leads by source</caption>');
    expect(html).toContain('<th scope="row">Referral &amp; partners</th>');
    expect(html).toContain('<td class="num">1,204</td>');
    expect(html).toMatch(/<div class="table-wrap chart-fallback">/);
    expect(html).toMatch(/<div class="chart-canvas" role="img" aria-label="[^"]+" hidden=""/);
  });

  it('renders the sync banner from the page’s reading', () => {
    const initial = {
      lastSyncAt: '2026-03-02T12:00:00.000Z',
      status: 'success' as const,
      isStale: true,
      lastError: null,
    };
    const now = () => new Date('2026-03-02T15:00:00Z');
    const html = renderToString(<SyncStatusBanner initial={initial} now={now} />);
    expect(html).toContain('class="sync-banner stale" role="status" aria-live="polite"');
    expect(html).toContain('Data is 3 hours old — sync may be delayed.');
  });

  it('renders cards, tables, pagination and badges', () => {
    const html = renderToString(
      <>
        <KPICard label="Total Leads" value="1,514" loading={false} />
        <DataTable
          columns={[{ key: 'label', header: 'Source', sortable: true }]}
          rows={data}
          rowKey={(row) => row.label}
          sort={{ key: 'label', dir: 'asc' }}
          sortHref={(key, dir) => `?sort=${key}&dir=${dir}`}
          emptyMessage="None"
          caption="Sources"
        />
        <Pagination page={1} pageSize={1} total={2} href={(page) => `?page=${page}`} />
        <StageBadge stage="Signed" likelihood={90} />
      </>,
    );
    expect(html).toContain('<p class="kpi-value">1,514</p>');
    expect(html).toContain('aria-sort="ascending"');
    expect(html).toContain('href="?sort=label&amp;dir=desc"');
    expect(html).toContain('href="?page=2"');
    expect(html).toContain('class="stage-badge hot"');
  });
});
