// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncStatusBanner } from '../../src/components/dashboard/SyncStatusBanner';
import type { SyncStatus } from '../../src/lib/sync/status';
import { settle } from './dom';

const NOW = new Date('2026-03-02T15:00:00Z');
const now = () => NOW;
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

const fresh: SyncStatus = {
  lastSyncAt: minutesAgo(12),
  status: 'success',
  isStale: false,
  lastError: null,
};
const stale: SyncStatus = { ...fresh, lastSyncAt: minutesAgo(180), isStale: true };
const failed: SyncStatus = {
  ...fresh,
  lastSyncAt: minutesAgo(180),
  status: 'failed',
  isStale: true,
  lastError: 'ClientTether rejected the web key',
};
const running: SyncStatus = { ...fresh, status: 'running' };
const never: SyncStatus = { lastSyncAt: null, status: 'never', isStale: true, lastError: null };

/** The API's answers, one per call; the last repeats. An Error makes that call reject. */
function serve(...answers: (SyncStatus | Error)[]) {
  const fetch = vi.fn(async () => {
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer instanceof Error) throw answer;
    return { ok: true, json: async () => ({ ok: true, data: answer }) } as Response;
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

async function renderBanner(initial: SyncStatus | null) {
  render(<SyncStatusBanner initial={initial} now={now} />);
  await settle();
  return screen.getByRole('status');
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('SyncStatusBanner', () => {
  it('says how long ago the last sync was while the data is fresh', async () => {
    serve(fresh);
    const banner = await renderBanner(fresh);
    expect(banner).toHaveTextContent('Last synced 12 minutes ago.');
    expect(banner).toHaveClass('sync-banner', 'fresh');
    expect(banner).toHaveAttribute('aria-live', 'polite');
  });

  it('turns amber with the data’s age when the sync is overdue', async () => {
    serve(stale);
    const banner = await renderBanner(stale);
    expect(banner).toHaveTextContent('Data is 3 hours old — sync may be delayed.');
    expect(banner).toHaveClass('stale');
    expect(screen.getByRole('link', { name: 'Sync settings' })).toHaveAttribute(
      'href',
      '/settings',
    );
  });

  it('turns red with the last error when the last run failed', async () => {
    serve(failed);
    const banner = await renderBanner(failed);
    expect(banner).toHaveTextContent('Sync failed: ClientTether rejected the web key.');
    expect(banner).toHaveTextContent('Showing data from 3 hours ago.');
    expect(banner).toHaveClass('failed');
  });

  it('says a sync is running', async () => {
    serve(running);
    const banner = await renderBanner(running);
    expect(banner).toHaveTextContent('Syncing now…');
    expect(banner).toHaveClass('running');
  });

  it('says the workspace has never synced', async () => {
    serve(never);
    const banner = await renderBanner(never);
    expect(banner).toHaveTextContent('Not synced yet.');
    expect(banner).toHaveClass('never');
  });

  it('fetches the status on mount when the page gave none', async () => {
    const fetch = serve(fresh);
    render(<SyncStatusBanner now={now} />);
    expect(screen.getByRole('status')).toHaveClass('unknown');
    await settle();
    expect(fetch).toHaveBeenCalledWith('/api/sync/status', expect.anything());
    expect(screen.getByRole('status')).toHaveTextContent('Last synced 12 minutes ago.');
  });

  it('polls again after pollMs and shows the new state', async () => {
    const fetch = serve(fresh, failed);
    const banner = await renderBanner(fresh);
    await act(() => vi.advanceTimersByTimeAsync(59_999));
    expect(fetch).toHaveBeenCalledTimes(1);
    await act(() => vi.advanceTimersByTimeAsync(1));
    await settle();
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(banner).toHaveClass('failed');
  });

  it('keeps the last known state when a poll fails', async () => {
    serve(new Error('offline'));
    const banner = await renderBanner(fresh);
    await act(() => vi.advanceTimersByTimeAsync(60_000));
    await settle();
    expect(banner).toHaveTextContent('Last synced 12 minutes ago.');
    expect(banner).toHaveClass('fresh');
  });

  it('keeps the last known state when the API answers with an error status', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => ({ ok: false, json: async () => ({ ok: false }) }) as Response),
    );
    const banner = await renderBanner(stale);
    expect(banner).toHaveClass('stale');
  });

  it('stops polling once unmounted', async () => {
    const fetch = serve(fresh);
    const { unmount } = render(<SyncStatusBanner initial={fresh} now={now} pollMs={1000} />);
    await settle();
    unmount();
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});
