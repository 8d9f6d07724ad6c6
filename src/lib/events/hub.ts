import { randomBytes } from 'node:crypto';
import type postgres from 'postgres';
import type { Database } from '../db/client';
import { errorReporter } from '../log';
import { loadEventData } from './event-data';
import { createRingBuffer } from './ring-buffer';
import { loadSnapshot, type SnapshotItem } from './snapshot';
import {
  campaignOf,
  LIVE_CHANNEL,
  type LiveEventType,
  type LiveNotice,
  parseNotice,
} from './types';

/** One event as subscribers get it. Live events are shared objects (sinks may cache their encoding). */
export interface LiveEvent {
  /** `<process epoch>-<sequence>`: the SSE id a client resumes from. */
  id: string;
  type: LiveEventType;
  data: unknown;
}

interface BufferedEvent extends LiveEvent {
  seq: number;
  tenantId: string;
  campaignId: string | null;
}

export interface Subscription {
  tenantId: string;
  /** Only this campaign's events (and a snapshot of it); null: the whole workspace. */
  campaignId: string | null;
  send: (event: LiveEvent) => void;
  /** The hub could not (re)load the subscriber's snapshot: the sink should close. */
  fail: (error: unknown) => void;
}

export interface LiveHub {
  /** Registers a subscriber and sends its opening events: a replay after `lastEventId` when possible, else a snapshot. */
  subscribe: (subscription: Subscription, lastEventId: string | null) => Promise<() => void>;
  subscribers: () => number;
  stop: () => Promise<void>;
}

export interface LiveHubOptions {
  db: Database;
  /** The pool: the hub opens one dedicated LISTEN connection from its options. */
  sql: postgres.Sql;
  bufferSize?: number;
  maxConcurrentLoads?: number;
  /** How often the hub checks its LISTEN connection still hears (a NOTIFY to itself). */
  probeIntervalMs?: number;
  log?: (message: string, error?: unknown) => void;
}

interface Member {
  sub: Subscription;
  /** While a snapshot loads, live events are not sent; they are caught up from the ring buffer. */
  opening: boolean;
  closed: boolean;
}

const EVENT_ID = /^([0-9a-f]{8})-(\d{1,15})$/;

/**
 * The web process's one LISTEN connection, fanned out to SSE subscribers by
 * tenant (and campaign). A NOTIFY's details are read once per change under
 * withTenant and shared by every subscriber of that tenant; a change notified
 * again while its read is in flight is read once more afterwards, not once
 * per NOTIFY. Started lazily by the first subscriber.
 */
export function createLiveHub(options: LiveHubOptions): LiveHub {
  const { db, sql } = options;
  const log = options.log ?? errorReporter('events');
  const epoch = randomBytes(4).toString('hex');
  const ring = createRingBuffer<BufferedEvent>(options.bufferSize ?? 1000);
  const maxLoads = options.maxConcurrentLoads ?? 4;
  const byTenant = new Map<string, Set<Member>>();
  const dirty = new Map<string, LiveNotice>();
  const loading = new Set<string>();
  const snapshots = new Map<string, { startSeq: number; items: Promise<SnapshotItem[]> }>();
  /** Per tenant, the sequence at which one of its changes last went unread: replays can't cross it. */
  const unread = new Map<string, number>();
  let seq = 0;
  let active = 0;
  let listening: Promise<void> | null = null;
  let unlisten: (() => Promise<void>) | null = null;
  let listens = 0;
  let stopped = false;
  let probe: { timer: NodeJS.Timeout; waiting: string | null; n: number } | null = null;

  function members(): Member[] {
    return [...byTenant.values()].flatMap((set) => [...set]);
  }

  function ensureListening(): Promise<void> {
    listening ??= sql
      .listen(LIVE_CHANNEL, onNotify, onListen)
      .then((meta) => {
        unlisten = meta.unlisten;
      })
      .catch((error) => {
        listening = null;
        throw error;
      });
    return listening;
  }

  /** postgres.js calls this after every LISTEN, including the one after a reconnect. */
  function onListen() {
    listens += 1;
    // NOTIFYs sent while the connection was down are lost: everyone gets a fresh snapshot.
    if (listens > 1) for (const m of members()) void refresh(m);
  }

  function onNotify(payload: string) {
    if (probe?.waiting && payload === probe.waiting) {
      probe.waiting = null;
      return;
    }
    const notice = parseNotice(payload);
    if (!notice) return;
    if (!byTenant.has(notice.tenantId)) {
      // Nobody is watching, so nothing is read or buffered: a client resuming later needs a snapshot.
      unread.set(notice.tenantId, seq);
      return;
    }
    dirty.set(`${notice.tenantId}:${notice.type}:${notice.id}`, notice);
    pump();
  }

  function pump() {
    while (active < maxLoads) {
      const key = [...dirty.keys()].find((k) => !loading.has(k));
      if (key === undefined) return;
      const notice = dirty.get(key) as LiveNotice;
      dirty.delete(key);
      loading.add(key);
      active += 1;
      void load(notice).finally(() => {
        loading.delete(key);
        active -= 1;
        pump();
      });
    }
  }

  async function load(notice: LiveNotice) {
    if (!byTenant.has(notice.tenantId)) {
      unread.set(notice.tenantId, seq);
      return;
    }
    let data: unknown;
    try {
      data = await loadEventData(db, notice.tenantId, notice.type, notice.id);
    } catch (error) {
      unread.set(notice.tenantId, seq);
      log(`could not read ${notice.type} ${notice.id}`, error);
      return;
    }
    if (!data) return; // another tenant's id, or gone
    seq += 1;
    const event: BufferedEvent = {
      id: `${epoch}-${seq}`,
      seq,
      type: notice.type,
      data,
      tenantId: notice.tenantId,
      campaignId: campaignOf(notice.type, notice.id),
    };
    ring.push(event);
    for (const m of byTenant.get(notice.tenantId) ?? []) {
      if (!m.opening && matches(m.sub, event)) m.sub.send(event);
    }
  }

  function matches(sub: Subscription, event: BufferedEvent) {
    return (
      event.tenantId === sub.tenantId &&
      (sub.campaignId === null || event.campaignId === sub.campaignId)
    );
  }

  /** A snapshot read for (tenant, campaign), shared by subscribers asking while it is in flight. */
  function sharedSnapshot(sub: Subscription) {
    const key = `${sub.tenantId}:${sub.campaignId ?? '*'}`;
    let entry = snapshots.get(key);
    if (!entry) {
      const items = loadSnapshot(db, sub.tenantId, sub.campaignId);
      entry = { startSeq: seq, items };
      snapshots.set(key, entry);
      const forget = () => snapshots.delete(key);
      items.then(forget, forget);
    }
    return entry;
  }

  /** Sends a snapshot, then every event since the snapshot's read began, then goes live. */
  async function refresh(m: Member): Promise<void> {
    m.opening = true;
    const { startSeq, items } = sharedSnapshot(m.sub);
    let loaded: SnapshotItem[];
    try {
      loaded = await items;
    } catch (error) {
      if (m.closed) return;
      log('could not read a snapshot', error);
      close(m);
      m.sub.fail(error);
      return;
    }
    if (m.closed) return;
    const id = `${epoch}-${startSeq}`;
    for (const item of loaded) m.sub.send({ id, type: item.type, data: item.data });
    const since = ring.since(startSeq);
    // More events than the buffer holds went by during the read: read again.
    if (!since) return refresh(m);
    open(m, since);
  }

  function open(m: Member, catchUp: BufferedEvent[]) {
    for (const event of catchUp) if (matches(m.sub, event)) m.sub.send(event);
    m.opening = false;
  }

  /** The events after a client's Last-Event-ID, or null when they can't all be replayed. */
  function replayAfter(tenantId: string, lastEventId: string | null): BufferedEvent[] | null {
    const match = lastEventId ? EVENT_ID.exec(lastEventId) : null;
    if (!match || match[1] !== epoch) return null;
    const after = Number(match[2]);
    if (after > seq || (unread.get(tenantId) ?? -1) >= after) return null;
    return ring.since(after);
  }

  function close(m: Member) {
    m.closed = true;
    const set = byTenant.get(m.sub.tenantId);
    set?.delete(m);
    if (set?.size === 0) byTenant.delete(m.sub.tenantId);
  }

  /**
   * postgres.js re-listens after a dropped connection, but if the database is
   * unreachable at that moment it gives up silently. So the hub NOTIFYs itself
   * now and then; when that doesn't come back, it listens again.
   */
  function startProbe(intervalMs: number) {
    probe = { timer: setInterval(checkProbe, intervalMs), waiting: null, n: 0 };
    probe.timer.unref();
  }

  async function checkProbe() {
    if (!probe || byTenant.size === 0) return;
    if (probe.waiting) {
      log('the LISTEN connection stopped hearing; listening again');
      probe.waiting = null;
      await relisten();
      return;
    }
    probe.n += 1;
    probe.waiting = JSON.stringify({ probe: `${epoch}-${probe.n}` });
    await sql`select pg_notify(${LIVE_CHANNEL}, ${probe.waiting})`.catch((error) => {
      if (probe) probe.waiting = null;
      log('could not probe the LISTEN connection', error);
    });
  }

  async function relisten() {
    const previous = unlisten;
    unlisten = null;
    listening = null;
    await previous?.().catch(() => {});
    await ensureListening().catch((error) => log('could not listen again', error));
  }

  return {
    async subscribe(sub, lastEventId) {
      if (stopped) throw new Error('the live events hub is stopped');
      await ensureListening();
      if (!probe && options.probeIntervalMs !== 0) startProbe(options.probeIntervalMs ?? 30_000);
      const m: Member = { sub, opening: true, closed: false };
      let set = byTenant.get(sub.tenantId);
      if (!set) {
        set = new Set();
        byTenant.set(sub.tenantId, set);
      }
      set.add(m);
      const replay = replayAfter(sub.tenantId, lastEventId);
      if (replay) open(m, replay);
      else await refresh(m);
      return () => close(m);
    },
    subscribers: () => members().length,
    async stop() {
      stopped = true;
      if (probe) clearInterval(probe.timer);
      probe = null;
      for (const m of members()) close(m);
      await unlisten?.().catch(() => {});
      unlisten = null;
      listening = null;
    },
  };
}
