// @vitest-environment jsdom
import { act, render, renderHook, screen } from '@testing-library/react';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BACKOFF_MAX_MS, reconnectDelay } from '../../src/components/live/backoff';
import { ConnectionBadge } from '../../src/components/live/ConnectionBadge';
import {
  FAILURES_BEFORE_POLLING,
  type LiveState,
  useLiveEvents,
} from '../../src/components/live/useLiveEvents';
import { settle } from './dom';

/** A stand-in for the browser's EventSource that the test opens, feeds and breaks. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static instances: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, ((event: MessageEvent) => void)[]>();

  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  emit(type: string, data: unknown, lastEventId = '') {
    const event = new MessageEvent(type, { data: JSON.stringify(data), lastEventId });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
  /** A dropped stream: the browser retries it (CONNECTING) unless `closed`. */
  fail(closed = false) {
    this.readyState = closed ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.onerror?.();
  }
}

const latest = () => FakeEventSource.instances.at(-1) as FakeEventSource;

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('useLiveEvents', () => {
  it('connects for the campaign, goes live on open and hands each event over parsed', () => {
    const onEvent = vi.fn();
    const { result } = renderHook(() => useLiveEvents({ campaignId: 'c-1', onEvent }));
    expect(result.current.state).toBe('connecting');
    expect(latest().url).toBe('/api/events?campaign=c-1');
    act(() => latest().open());
    expect(result.current.state).toBe('live');
    act(() => latest().emit('campaign.progress', { completed: 3 }, 'abc-7'));
    expect(onEvent).toHaveBeenCalledWith('campaign.progress', { completed: 3 });
  });

  it('leaves a first drop to the browser’s own reconnect (which resumes by itself), showing it', () => {
    const { result } = renderHook(() => useLiveEvents({ onEvent: () => {} }));
    act(() => latest().open());
    act(() => latest().fail());
    expect(result.current.state).toBe('reconnecting');
    expect(FakeEventSource.instances).toHaveLength(1);
    act(() => latest().open());
    expect(result.current.state).toBe('live');
  });

  it('backs off and reconnects itself with the last event id, then polls after repeated failures', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(1);
    const fetch = vi.fn(
      async () => new Response(JSON.stringify({ ok: true, data: { completed: 9 } })),
    );
    vi.stubGlobal('fetch', fetch);
    const onEvent = vi.fn();
    const { result } = renderHook(() =>
      useLiveEvents({ onEvent, pollUrl: '/api/campaigns/c-1', pollIntervalMs: 5_000 }),
    );
    act(() => latest().open());
    act(() => latest().emit('import.progress', { id: 'i' }, 'abc-12'));
    act(() => latest().fail(true)); // the browser gave up (e.g. a 5xx)
    expect(result.current.state).toBe('reconnecting');
    expect(FakeEventSource.instances).toHaveLength(1);
    act(() => vi.advanceTimersByTime(999));
    expect(FakeEventSource.instances).toHaveLength(1);
    act(() => vi.advanceTimersByTime(1));
    expect(latest().url).toBe('/api/events?lastEventId=abc-12');

    act(() => latest().fail()); // second failure: 2 s
    act(() => vi.advanceTimersByTime(2_000));
    expect(FakeEventSource.instances).toHaveLength(3);
    expect(FakeEventSource.instances[1]?.readyState).toBe(FakeEventSource.CLOSED);
    expect(FAILURES_BEFORE_POLLING).toBe(3);
    await act(async () => latest().fail());
    expect(result.current.state).toBe('polling');
    expect(fetch).toHaveBeenCalledWith('/api/campaigns/c-1', expect.anything());
    await act(async () => {
      await vi.advanceTimersByTimeAsync(5_000);
    });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(onEvent).toHaveBeenCalledWith('poll', { completed: 9 });

    // The stream was retried meanwhile (after 4 s); once it opens, polling stops.
    expect(FakeEventSource.instances).toHaveLength(4);
    act(() => latest().open());
    expect(result.current.state).toBe('live');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(20_000);
    });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('without a poll URL keeps reconnecting, never claiming to poll', () => {
    vi.useFakeTimers();
    const { result } = renderHook(() => useLiveEvents({ onEvent: () => {} }));
    for (let i = 0; i < 5; i++) {
      act(() => latest().fail(true));
      expect(result.current.state).toBe('reconnecting');
      act(() => vi.advanceTimersByTime(BACKOFF_MAX_MS));
    }
    expect(FakeEventSource.instances).toHaveLength(6);
  });

  it('closes the stream and stops its timers when unmounted', async () => {
    const { unmount } = renderHook(() => useLiveEvents({ onEvent: () => {} }));
    const source = latest();
    unmount();
    expect(source.readyState).toBe(FakeEventSource.CLOSED);
    await settle();
  });
});

describe('reconnectDelay', () => {
  it('grows from 1 s to at most 30 s, jittered between half and all of each step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (failures, r) => {
          const ceiling = Math.min(BACKOFF_MAX_MS, 1000 * 2 ** (failures - 1));
          const delay = reconnectDelay(failures, () => r);
          expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
          expect(delay).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
  });
});

describe('ConnectionBadge', () => {
  it.each<[LiveState, string]>([
    ['live', 'Live'],
    ['connecting', 'Connecting…'],
    ['reconnecting', 'Reconnecting…'],
    ['polling', 'Updating periodically'],
  ])('announces %s as a status', (state, text) => {
    render(<ConnectionBadge state={state} />);
    const badge = screen.getByRole('status');
    expect(badge).toHaveTextContent(text);
    expect(badge).toHaveClass(state);
    if (state !== 'live') expect(badge).toHaveTextContent(/out of date|refresh|loaded/);
  });
});
