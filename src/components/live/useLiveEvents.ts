import { useEffect, useRef, useState } from 'react';
import { LIVE_EVENT_TYPES, type LiveEventType } from '../../lib/events/event-types';
import { reconnectDelay } from './backoff';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'polling';
/** A server event, or `poll`: the JSON answer of `pollUrl` (its `data` when it is a Result). */
export type LiveEventName = LiveEventType | 'poll';

export interface UseLiveEventsOptions {
  /** Only this campaign's events (and a snapshot of it on connect). */
  campaignId?: string;
  onEvent: (type: LiveEventName, data: unknown) => void;
  /** Fetched every `pollIntervalMs` once the stream has failed repeatedly. */
  pollUrl?: string;
  pollIntervalMs?: number;
  /** The stream's address (tests). */
  url?: string;
}

/** Failed attempts in a row before falling back to polling (the stream keeps being retried). */
export const FAILURES_BEFORE_POLLING = 3;

/**
 * Live events for the current workspace over Server-Sent Events. A dropped
 * stream is first left to the browser's own reconnect, which resumes with
 * Last-Event-ID; if that fails too, the hook reconnects itself with backoff
 * (1 s → 30 s, jittered), passing the last id along, and after repeated
 * failures polls `pollUrl` until the stream is back. `state` says which, so
 * a page never presents stale figures as live.
 */
export function useLiveEvents(options: UseLiveEventsOptions): { state: LiveState } {
  const { campaignId, pollUrl, pollIntervalMs = 5_000, url = '/api/events' } = options;
  const [state, setState] = useState<LiveState>('connecting');
  const onEvent = useRef(options.onEvent);
  onEvent.current = options.onEvent;

  useEffect(() => {
    let source: EventSource | null = null;
    let failures = 0;
    let lastEventId: string | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let pollTimer: ReturnType<typeof setInterval> | null = null;
    let disposed = false;
    const polling = new AbortController();

    const address = () => {
      const params = new URLSearchParams();
      if (campaignId) params.set('campaign', campaignId);
      // A new EventSource can't send the Last-Event-ID header: the server also reads it here.
      if (lastEventId) params.set('lastEventId', lastEventId);
      const query = params.toString();
      return query ? `${url}?${query}` : url;
    };

    const poll = async () => {
      if (!pollUrl) return;
      try {
        const res = await fetch(pollUrl, {
          headers: { accept: 'application/json' },
          signal: polling.signal,
        });
        if (!res.ok) return;
        const body = (await res.json()) as { ok?: boolean; data?: unknown };
        if (!disposed) onEvent.current('poll', body.ok === true ? body.data : body);
      } catch {
        // Offline as well: the badge already says the figures may be old.
      }
    };

    const startPolling = () => {
      if (!pollUrl || pollTimer) return;
      setState('polling');
      void poll();
      pollTimer = setInterval(poll, pollIntervalMs);
    };

    const stopPolling = () => {
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = null;
    };

    const connect = () => {
      retryTimer = null;
      const es = new EventSource(address());
      source = es;
      es.onopen = () => {
        failures = 0;
        stopPolling();
        setState('live');
      };
      for (const type of LIVE_EVENT_TYPES) {
        es.addEventListener(type, (event) => {
          const message = event as MessageEvent<string>;
          if (message.lastEventId) lastEventId = message.lastEventId;
          let data: unknown;
          try {
            data = JSON.parse(message.data);
          } catch {
            return;
          }
          onEvent.current(type, data);
        });
      }
      es.onerror = () => {
        failures += 1;
        if (failures >= FAILURES_BEFORE_POLLING && pollUrl) startPolling();
        else if (!pollTimer) setState('reconnecting');
        // The first drop is the browser's to retry (it resumes by itself); after that, back off.
        if (es.readyState === EventSource.CLOSED || failures > 1) {
          es.close();
          source = null;
          retryTimer = setTimeout(connect, reconnectDelay(failures));
        }
      };
    };

    connect();
    return () => {
      disposed = true;
      source?.close();
      if (retryTimer) clearTimeout(retryTimer);
      stopPolling();
      polling.abort();
    };
  }, [campaignId, pollUrl, pollIntervalMs, url]);

  return { state };
}
