import type postgres from 'postgres';
import { processLogger } from '../log';
import { LIVE_CHANNEL, type LiveEventType, LiveNotice } from './types';

export interface CoalescingEmitter {
  /** Something changed: a NOTIFY for (type, id) goes out within `intervalMs`, however often this is called. */
  touch: (tenantId: string, type: LiveEventType, id: string) => void;
  /** Sends what is pending now (one statement) and waits for it. */
  flush: () => Promise<void>;
  /** Sends what is pending and stops; later touches are ignored. */
  stop: () => Promise<void>;
}

export interface CoalescingEmitterOptions {
  intervalMs?: number;
  /** A failed NOTIFY is dropped (the next touch sends a fresh one); this hears about it. */
  onError?: (error: unknown) => void;
  /** Called just before each batch is sent: the events bench times delivery from here. */
  onFlush?: (notices: LiveNotice[]) => void;
}

/**
 * Turns a stream of "this changed" touches (the dispatcher ends up to 500
 * calls a second) into at most one NOTIFY per (type, id) per interval, all
 * pending ones in a single statement on the pool, outside any caller's
 * transaction. The first touch after a quiet interval goes out at once; the
 * rest wait for the interval to end.
 */
export function createCoalescingEmitter(
  sql: postgres.Sql,
  options: CoalescingEmitterOptions = {},
): CoalescingEmitter {
  const intervalMs = options.intervalMs ?? 1000;
  const onError =
    options.onError ??
    ((error: unknown) => {
      // The pool closed under a pending touch: the process is shutting down (or a test ended).
      if ((error as { code?: string }).code === 'CONNECTION_ENDED') return;
      processLogger().error({ scope: 'events', err: error }, 'notify failed');
    });
  const pending = new Map<string, LiveNotice>();
  let timer: NodeJS.Timeout | null = null;
  let lastFlushAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;

  function schedule() {
    if (timer || stopped) return;
    const wait = Math.max(0, lastFlushAt + intervalMs - Date.now());
    timer = setTimeout(() => {
      timer = null;
      void flush();
    }, wait);
  }

  async function send(notices: LiveNotice[]) {
    options.onFlush?.(notices);
    const payloads = notices.map((n) => JSON.stringify(n));
    try {
      await sql`select pg_notify(${LIVE_CHANNEL}, p) from unnest(${payloads}::text[]) as p`;
    } catch (error) {
      onError(error);
    }
  }

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (pending.size === 0) return inFlight;
    const notices = [...pending.values()];
    pending.clear();
    lastFlushAt = Date.now();
    // Batches go out in order: a later one never overtakes an earlier one.
    inFlight = inFlight.then(() => send(notices));
    return inFlight;
  }

  return {
    touch(tenantId, type, id) {
      if (stopped) return;
      const key = `${tenantId}:${type}:${id}`;
      if (pending.has(key)) return;
      const notice = { tenantId, type, id };
      if (!LiveNotice.safeParse(notice).success) {
        onError(new Error(`invalid live event ${type} ${id}`));
        return;
      }
      pending.set(key, notice);
      schedule();
    },
    flush,
    async stop() {
      stopped = true;
      await flush();
    },
  };
}
