// @vitest-environment jsdom
import { configure, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SeriesChart } from '../../src/components/analytics/SeriesChart';
import { BarChart } from '../../src/components/dashboard/BarChart';
import { HorizontalBarChart } from '../../src/components/dashboard/HorizontalBarChart';
import { PieChart } from '../../src/components/dashboard/PieChart';
import { settle } from './dom';

// jsdom has no canvas or layout, so ECharts itself is replaced by a recorder.
const echarts = vi.hoisted(() => {
  const chart = { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() };
  return { chart, init: vi.fn(() => chart), use: vi.fn() };
});
vi.mock('echarts/core', () => ({ init: echarts.init, use: echarts.use }));

// Whichever test runs first pays for importing ECharts' modules: over a second on a busy machine.
configure({ asyncUtilTimeout: 5_000 });

// biome-ignore lint/suspicious/noExplicitAny: the option's shape is ECharts', checked by tsc in the source
const lastOption = (): any => echarts.chart.setOption.mock.lastCall?.[0];

/**
 * The option of the chart's first draw. The container shows (role `img`) in a
 * render commit, and the draw follows in that commit's effect: on a busy
 * machine a query for the role can land between the two.
 */
async function drawnOption() {
  await waitFor(() => expect(echarts.chart.setOption).toHaveBeenCalled());
  return lastOption();
}

const sources = [
  { label: 'Website', value: 1204 },
  { label: 'Referral', value: 310 },
  { label: 'Trade show', value: 48 },
];
const stages = [
  { label: 'Discovery Day', value: 2_400_000 },
  { label: 'FDD Sent', value: 900_000 },
  { label: 'Signed', value: 150_000 },
];

beforeEach(() => {
  vi.clearAllMocks();
});

/** The fallback table's rows as [label, value, …] text. */
function tableRows(name: string) {
  const table = screen.getByRole('table', { name });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));
}

describe('charts', () => {
  it('lists every label and value in a table until the chart has drawn', () => {
    render(<BarChart title="Leads by source" data={sources} />);
    expect(tableRows('Leads by source')).toEqual([
      ['Website', '1,204'],
      ['Referral', '310'],
      ['Trade show', '48'],
    ]);
    expect(screen.getByRole('table').parentElement).not.toHaveClass('visually-hidden');
    expect(screen.queryByRole('img')).toBeNull(); // the container is hidden until ECharts loads
  });

  it('draws a bar chart with the data and keeps the table for screen readers', async () => {
    render(<BarChart title="Leads by source" data={sources} />);
    const img = await screen.findByRole('img', { name: /^Leads by source\. Bar chart, 3 items/ });
    // The chart is drawn a tick after its module loads; on a busy machine that can trail the role.
    await vi.waitFor(() =>
      expect(echarts.init).toHaveBeenCalledWith(img, undefined, { renderer: 'svg' }),
    );
    const option = await drawnOption();
    expect(option.xAxis.data).toEqual(['Website', 'Referral', 'Trade show']);
    expect(option.series[0].data).toEqual([1204, 310, 48]);
    expect(screen.getByRole('table').parentElement).toHaveClass('visually-hidden');
    expect(tableRows('Leads by source')).toHaveLength(3);
  });

  it('keeps pipeline order top to bottom and formats money', async () => {
    render(<HorizontalBarChart title="Value by stage" data={stages} valueFormat="currency" />);
    await screen.findByRole('img', { name: /Value by stage/ });
    const option = await drawnOption();
    expect(option.yAxis).toMatchObject({
      type: 'category',
      inverse: true,
      data: ['Discovery Day', 'FDD Sent', 'Signed'],
    });
    expect(option.xAxis.axisLabel.formatter(2_400_000)).toBe('$2.4M');
    expect(tableRows('Value by stage')[0]).toEqual(['Discovery Day', '$2,400,000']);
  });

  it('draws a pie of the shares and lists each share in the table', async () => {
    render(<PieChart title="Leads by stage" data={sources} />);
    await screen.findByRole('img', { name: /Leads by stage\. Pie chart/ });
    expect((await drawnOption()).series[0].data).toEqual([
      { name: 'Website', value: 1204 },
      { name: 'Referral', value: 310 },
      { name: 'Trade show', value: 48 },
    ]);
    expect(tableRows('Leads by stage')[0]).toEqual(['Website', '1,204', '77%']);
  });

  it('takes its colours from the CSS tokens', async () => {
    document.documentElement.style.setProperty('--chart-1', '#123456');
    render(<BarChart title="Leads by source" data={sources} />);
    await screen.findByRole('img');
    const option = await drawnOption();
    document.documentElement.style.removeProperty('--chart-1');
    expect(option.series[0].itemStyle.color).toBe('#123456');
  });

  it('resizes with the window and is disposed on unmount', async () => {
    const { unmount } = render(<BarChart title="Leads by source" data={sources} />);
    await screen.findByRole('img');
    await drawnOption(); // the size watch starts in the same effect as the first draw
    window.dispatchEvent(new Event('resize'));
    expect(echarts.chart.resize).toHaveBeenCalledTimes(1);
    unmount();
    expect(echarts.chart.dispose).toHaveBeenCalledTimes(1);
    window.dispatchEvent(new Event('resize'));
    expect(echarts.chart.resize).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['bar', BarChart],
    ['horizontal bar', HorizontalBarChart],
    ['pie', PieChart],
  ])('shows an empty state instead of a %s chart when there is no data', async (_, Chart) => {
    render(<Chart title="Leads by source" data={[]} emptyMessage="No leads in this period." />);
    await settle();
    expect(screen.getByRole('heading', { name: 'Leads by source' })).toBeVisible();
    expect(screen.getByText('No leads in this period.')).toBeVisible();
    expect(screen.queryByRole('table')).toBeNull();
    expect(echarts.init).not.toHaveBeenCalled();
  });

  it('draws several series over the same buckets, with a table column per series', async () => {
    const series = [
      { name: 'Answered', values: [3, 5] },
      { name: 'No answer', values: [1, 0] },
    ];
    render(
      <SeriesChart
        title="Calls by outcome"
        categories={['Apr 13', 'Apr 14']}
        series={series}
        categoryHeader="Day"
        stacked
      />,
    );
    expect(tableRows('Calls by outcome')).toEqual([
      ['Apr 13', '3', '1'],
      ['Apr 14', '5', '0'],
    ]);
    await screen.findByRole('img', {
      name: 'Calls by outcome. 2 periods; totals: Answered 8, No answer 1.',
    });
    const option = await drawnOption();
    expect(option.xAxis.data).toEqual(['Apr 13', 'Apr 14']);
    expect(option.series.map((s: { data: number[] }) => s.data)).toEqual([
      [3, 5],
      [1, 0],
    ]);
    expect(screen.getByRole('table').parentElement).toHaveClass('visually-hidden');
  });

  it('shows an empty state instead of a series chart when every value is zero', async () => {
    render(
      <SeriesChart
        title="Calls by outcome"
        categories={['Apr 13']}
        series={[{ name: 'Answered', values: [0] }]}
        categoryHeader="Day"
        emptyMessage="No calls in this period."
      />,
    );
    await settle();
    expect(screen.getByText('No calls in this period.')).toBeVisible();
    expect(screen.queryByRole('table')).toBeNull();
    expect(echarts.init).not.toHaveBeenCalled();
  });
});
