/**
 * The soak's SSE clients on /api/events, spread over the signed-in users
 * (several tabs each), reconnecting a second after a failure as the islands
 * do. A LISTEN on the live-events channel timestamps every NOTIFY the
 * producers (worker, web) send; each campaign.progress a client receives is
 * matched to the latest NOTIFY of its campaign before it, as bench:events
 * does with its emitter's flush time (here the NOTIFY as a listener hears it,
 * a millisecond or two later). Events in a client's first 2 s (its snapshot)
 * are not timed.
 */
import { Agent } from 'node:http';
import type postgres from 'postgres';
import { LIVE_CHANNEL, parseNotice } from '../../src/lib/events/types';
import { openSseClient, type SseClient } from '../sse-client';
import type { SignedIn } from './browse';
import type { Recorder } from './recorder';

const SNAPSHOT_MS = 2_000;

export interface StreamStats {
  /** Events delivered, by type. */
  delivered: Record<string, number>;
  /** NOTIFY → client latencies (ms) by minute of the run. */
  latencies: Map<number, number[]>;
  /** A campaign event delivered to another workspace's client. */
  crossTenant: number;
  failures: number;
  /** Failures by reason ("stream ended", "status 502", …). */
  reasons: Record<string, number>;
  open: number;
}

export async function openStreams(
  baseUrl: string,
  users: SignedIn[],
  count: number,
  tenantIds: string[],
  listener: postgres.Sql,
  recorder: Recorder,
) {
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const notified = new Map<string, number[]>();
  const campaignTenant = new Map<string, string>();
  await listener.listen(LIVE_CHANNEL, (payload) => {
    const notice = parseNotice(payload);
    if (notice?.type !== 'campaign.progress') return;
    campaignTenant.set(notice.id, notice.tenantId);
    const times = notified.get(notice.id) ?? [];
    times.push(Date.now());
    notified.set(notice.id, times);
  });
  const stats: StreamStats = {
    delivered: {},
    latencies: new Map(),
    crossTenant: 0,
    failures: 0,
    reasons: {},
    open: 0,
  };
  let closing = false;
  const clients = new Set<SseClient>();

  const latestBefore = (times: number[], at: number) => {
    for (let i = times.length - 1; i >= 0; i--) if ((times[i] as number) <= at) return times[i];
    return undefined;
  };

  const connect = (user: SignedIn, reconnect: boolean): Promise<void> => {
    const tenantId = tenantIds[user.tenantIndex] ?? '';
    const t0 = performance.now();
    const opened = Date.now();
    let counted = false;
    const client = openSseClient(`${baseUrl}/api/events`, {
      agent,
      cookie: user.cookie,
      onEvent: ({ event, data, at }) => {
        stats.delivered[event] = (stats.delivered[event] ?? 0) + 1;
        if (event !== 'campaign.progress') return;
        const id = (data as { campaignId?: string }).campaignId ?? '';
        if (campaignTenant.has(id) && campaignTenant.get(id) !== tenantId) stats.crossTenant += 1;
        if (at - opened < SNAPSHOT_MS) return;
        const sent = latestBefore(notified.get(id) ?? [], at);
        if (sent === undefined) return;
        const minute = recorder.minuteOf();
        const list = stats.latencies.get(minute) ?? [];
        list.push(at - sent);
        stats.latencies.set(minute, list);
      },
      onFail: (reason) => {
        clients.delete(client);
        if (counted) stats.open -= 1;
        if (closing) return;
        stats.failures += 1;
        stats.reasons[reason] = (stats.reasons[reason] ?? 0) + 1;
        recorder.record('GET /api/events (stream)', performance.now() - t0, false, reason);
        setTimeout(() => void connect(user, true), 1_000);
      },
    });
    clients.add(client);
    return client.ready.then(() => {
      if (!clients.has(client)) return;
      counted = true;
      stats.open += 1;
      // Time to the stream's first bytes; a reconnect counts as a request of the run.
      recorder.record(
        reconnect ? 'GET /api/events (reconnect)' : 'GET /api/events (open)',
        performance.now() - t0,
        true,
      );
    });
  };

  // The route's module watches responses for back-pressure from when it loads (a stream opened
  // before is told to reconnect at its first heartbeat): load it before the crowd, as bench:events does.
  const warmUp = await fetch(`${baseUrl}/api/events?campaign=warm-up`, {
    headers: { cookie: users[0]?.cookie ?? '' },
  });
  await warmUp.arrayBuffer();
  for (let i = 0; i < count; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 50); j++)
      batch.push(connect(users[j % users.length] as SignedIn, false));
    await Promise.all(batch);
  }
  return {
    stats,
    close: () => {
      closing = true;
      for (const c of clients) c.close();
    },
  };
}
