/**
 * GET /api/events over real HTTP against the built server: sign-in and
 * campaign checks before streaming, a tenant hears only its own events,
 * Last-Event-ID resumes, heartbeats flow, a client that stops reading is
 * dropped, and no database connection idles in a transaction meanwhile.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { emitLiveEvent } from '../../src/lib/events/emit';
import type { LiveNotice } from '../../src/lib/events/types';
import { makeMember, makeSession } from '../factories';
import { makeCaller, makeCampaign } from '../factories/campaigns';
import { makeContacts } from '../factories/contacts';
import { useTestDatabase } from '../helpers/db';
import { useWebServer } from '../helpers/server';
import { type Frame, openEventStream } from '../helpers/sse-client';

const t = useTestDatabase();
const MAX_BUFFERED = 16 * 1024;
const server = useWebServer(() => t.url, {
  LIVE_EVENTS_HEARTBEAT_MS: '300',
  LIVE_EVENTS_MAX_BUFFER_BYTES: String(MAX_BUFFERED),
});

/** An SSE reader on this file's server, closed after each test. */
function stream(path: string, cookie: string, headers: Record<string, string> = {}) {
  const handle = openEventStream(new URL(path, server.url), cookie, headers);
  streams.push(handle);
  return handle;
}

const streams: { close: () => void }[] = [];
beforeAll(async () => {
  // The route's module watches responses from when it is loaded: a stream that
  // raced its loading is served only briefly (see sse-stream.ts). Load it first.
  const { cookie } = await workspace();
  const warmUp = await fetch(`${server.url}/api/events?campaign=warm-up`, { headers: { cookie } });
  expect(warmUp.status).toBe(404);
});
afterEach(() => {
  for (const s of streams.splice(0)) s.close();
});

async function eventually(check: () => boolean, ms = 5000, what = 'condition') {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A signed-in member of a new workspace with a running campaign. */
async function workspace(options: { errors?: number; errorBytes?: number } = {}) {
  const { tenant, user } = await makeMember(t.db);
  const caller = await makeCaller(t.db, tenant, 5);
  const contacts = await makeContacts(
    t.db,
    tenant.id,
    Array.from({ length: 3 }, (_, i) => ({ name: `Person ${i}` })),
  );
  const campaign = await makeCampaign(t.db, tenant.id, caller.id, {
    contacts: { ids: contacts.map((c) => c.id) },
  });
  await t.sql`update call_campaigns set status = 'running', started_at = now() where id = ${campaign.id}`;
  for (let i = 0; i < (options.errors ?? 0); i++) {
    await t.sql`insert into campaign_error_logs (tenant_id, campaign_id, attempt, category, message)
      values (${tenant.id}, ${campaign.id}, 1, 'provider', ${'x'.repeat(options.errorBytes ?? 10)})`;
  }
  const { token } = await makeSession(t.db, user.id);
  const cookie = `sb_session=${token}; sb_tenant=${tenant.id}`;
  const notify = (type: LiveNotice['type'] = 'campaign.progress', id = campaign.id) =>
    emitLiveEvent(t.sql, { tenantId: tenant.id, type, id });
  return { tenant, campaign, cookie, notify };
}

const campaignIdOf = (frame: Frame) => {
  const data = frame.data as { campaignId?: string; id?: string };
  return data.campaignId ?? data.id;
};

describe('GET /api/events', () => {
  it('refuses anonymous clients (401) and another workspace’s or an unknown campaign (404)', async () => {
    const a = await workspace();
    const b = await workspace();
    const anonymous = await fetch(`${server.url}/api/events`);
    expect(anonymous.status).toBe(401);
    for (const id of [b.campaign.id, '00000000-0000-4000-8000-000000000000', 'nope']) {
      const response = await fetch(`${server.url}/api/events?campaign=${id}`, {
        headers: { cookie: a.cookie },
      });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/json');
    }
    const own = stream(`/api/events?campaign=${a.campaign.id}`, a.cookie);
    await eventually(() => own.frames.length === 2, 5000, 'the campaign snapshot');
    expect(own.state.status).toBe(200);
    expect(own.frames.map((f) => f.event)).toEqual(['campaign.status', 'campaign.progress']);
  });

  it('gives each tenant its own events only, never another’s', async () => {
    const a = await workspace();
    const b = await workspace();
    const sa = stream('/api/events', a.cookie);
    const sb = stream('/api/events', b.cookie);
    await eventually(() => sa.frames.length >= 1 && sb.frames.length >= 1, 5000, 'snapshots');
    for (let i = 0; i < 3; i++) {
      await a.notify();
      await b.notify('campaign.status');
      // A NOTIFY naming tenant B with A's campaign reads nothing as B.
      await emitLiveEvent(t.sql, {
        tenantId: b.tenant.id,
        type: 'campaign.progress',
        id: a.campaign.id,
      });
      await sleep(50);
    }
    await eventually(() => sa.frames.length >= 2 && sb.frames.length >= 2, 5000, 'live events');
    await sleep(300);
    expect(sa.frames.every((f) => campaignIdOf(f) === a.campaign.id)).toBe(true);
    expect(sb.frames.every((f) => campaignIdOf(f) === b.campaign.id)).toBe(true);
  });

  it('resumes after Last-Event-ID with just the missed events; an unknown id gets a snapshot', async () => {
    const a = await workspace();
    const keeper = stream('/api/events', a.cookie); // keeps the tenant watched meanwhile
    const first = stream('/api/events', a.cookie);
    await eventually(() => keeper.frames.length === 1 && first.frames.length === 1);
    await a.notify('campaign.status');
    await eventually(() => first.frames.length === 2, 5000, 'a live event');
    const lastSeen = first.frames[1]?.id ?? '';
    first.close();
    await a.notify('campaign.status');
    await eventually(() => keeper.frames.length === 3, 5000, 'the missed event');
    const resumed = stream('/api/events', a.cookie, { 'last-event-id': lastSeen });
    await eventually(() => resumed.frames.length >= 1, 5000, 'the replay');
    await sleep(200);
    expect(resumed.frames.map((f) => f.id)).toEqual([keeper.frames[2]?.id]);
    expect(resumed.frames[0]?.event).toBe('campaign.status');

    const stranger = stream('/api/events', a.cookie, { 'last-event-id': 'ffffffff-1' });
    await eventually(() => stranger.frames.length >= 1, 5000, 'a snapshot');
    expect(stranger.frames.map((f) => f.event)).toEqual(['campaign.progress']);
  });

  it('sends a heartbeat comment at the configured interval', async () => {
    const a = await workspace();
    const s = stream('/api/events', a.cookie);
    await eventually(() => s.state.heartbeats >= 3, 3000, 'three heartbeats');
  });

  it('drops a client that stops reading, while one that reads keeps getting events', async () => {
    const a = await workspace({ errors: 5, errorBytes: 4000 }); // ~20 KB an event
    const reader = stream('/api/events', a.cookie);
    await eventually(() => reader.frames.length === 1);
    const slow = await rawStream(a.cookie);
    const established = () => serverSideState(slow.localPort) === 'established';
    await eventually(established, 5000, 'the slow stream to open');
    const deadline = Date.now() + 20_000;
    while (established() && Date.now() < deadline) {
      await a.notify();
      await sleep(15);
    }
    expect(established()).toBe(false);
    const before = reader.frames.length;
    await a.notify();
    await eventually(() => reader.frames.length > before, 5000, 'the reader’s next event');
    // Once it reads again, the dropped client finds its stream ended.
    slow.socket.resume();
    await eventually(() => slow.ended(), 10_000, 'the slow stream to end');
    expect(reader.state.ended).toBe(false);
  });

  it('holds no connection idle in a transaction while streams are open', async () => {
    const a = await workspace();
    const open = Array.from({ length: 10 }, (_, i) =>
      stream(i % 2 ? `/api/events?campaign=${a.campaign.id}` : '/api/events', a.cookie),
    );
    await eventually(() => open.every((s) => s.frames.length >= 1), 10_000, 'all streams');
    const idleInTransaction = async (olderThanMs: number) => {
      const [row] = await t.sql<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%'
          and state_change < now() - make_interval(secs => ${olderThanMs / 1000})`;
      return row?.n;
    };
    // While events flow, a read's transaction may be caught between its statements, never lingering.
    for (let i = 0; i < 10; i++) {
      await a.notify();
      expect(await idleInTransaction(500)).toBe(0);
      await sleep(100);
    }
    // Once quiet, the open streams hold no transaction at all.
    await sleep(1000);
    expect(await idleInTransaction(0)).toBe(0);
    const listeners = await t.sql<{ n: number }[]>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and query ilike 'listen%'`;
    expect(listeners[0]?.n).toBe(1); // one LISTEN connection for the whole process
  });
});

/** A client that sends the request and then never reads: its socket stays paused. */
async function rawStream(cookie: string) {
  const url = new URL(server.url);
  const socket: Socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.pause();
  let ended = false;
  socket.on('end', () => {
    ended = true;
  });
  socket.on('close', () => {
    ended = true;
  });
  socket.on('error', () => {
    ended = true;
  });
  socket.write(
    `GET /api/events HTTP/1.1\r\nHost: ${url.host}\r\nCookie: ${cookie}\r\nAccept: text/event-stream\r\n\r\n`,
  );
  streams.push({ close: () => socket.destroy() });
  return { socket, localPort: socket.localPort ?? 0, ended: () => ended };
}

/**
 * The server's side of a client connection, from the kernel's table: it
 * stops being ESTABLISHED the moment the server drops the client, even though
 * the client, not reading, can't see that yet.
 */
function serverSideState(clientPort: number): 'established' | 'other' | 'gone' {
  const serverPort = Number(new URL(server.url).port);
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  const lines = readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1);
  for (const line of lines) {
    const [, local, remote, st] = line.trim().split(/\s+/);
    if (local?.endsWith(`:${hex(serverPort)}`) && remote?.endsWith(`:${hex(clientPort)}`)) {
      return st === '01' ? 'established' : 'other';
    }
  }
  return 'gone';
}
