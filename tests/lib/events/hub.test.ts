/**
 * The live events hub against real PostgreSQL: NOTIFYs fan out only to the
 * tenant they name (and the campaign a subscriber watches), details are
 * re-read as that tenant, a client resumes from its Last-Event-ID while the
 * ring buffer still holds what it missed, and a killed LISTEN connection is
 * followed by a fresh snapshot and working NOTIFYs again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignProgress } from '../../../src/lib/campaigns/progress';
import { connectDatabase, type DatabaseHandle } from '../../../src/lib/db/client';
import { emitLiveEvent } from '../../../src/lib/events/emit';
import { createLiveHub, type LiveHub } from '../../../src/lib/events/hub';
import { makeTenant } from '../../factories';
import { useTestDatabase } from '../../helpers/db';
import { collector, eventually, runningCampaign } from './helpers';

const t = useTestDatabase();
const hubs: LiveHub[] = [];
const pools: DatabaseHandle[] = [];

function hub(options: { bufferSize?: number; pool?: DatabaseHandle; probeMs?: number } = {}) {
  const pool = options.pool ?? { db: t.db, sql: t.sql };
  const created = createLiveHub({
    db: pool.db,
    sql: pool.sql,
    bufferSize: options.bufferSize,
    probeIntervalMs: options.probeMs ?? 0,
  });
  hubs.push(created);
  return created;
}

afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
  for (const p of pools.splice(0)) await p.close();
});

const progressOf = (data: unknown) => data as CampaignProgress;

describe('live events hub', () => {
  it('opens with a snapshot of the workspace’s running campaigns and in-flight imports', async () => {
    const { tenant, campaign } = await runningCampaign(t.db, t.sql);
    await t.sql`insert into contact_imports (tenant_id, file_name, mode, status)
      values (${tenant.id}, 'a.csv', 'skip', 'running'), (${tenant.id}, 'b.csv', 'skip', 'completed')`;
    const a = collector(tenant.id);
    await hub().subscribe(a.subscription, null);
    expect(a.events.map((e) => e.type).sort()).toEqual(['campaign.progress', 'import.progress']);
    const progress = a.events.find((e) => e.type === 'campaign.progress');
    expect(progressOf(progress?.data)).toMatchObject({ campaignId: campaign.id, total: 3 });
  });

  it('sends a tenant only its own events, re-read as that tenant', async () => {
    const one = await runningCampaign(t.db, t.sql);
    const two = await runningCampaign(t.db, t.sql);
    const h = hub();
    const a = collector(one.tenant.id);
    const b = collector(two.tenant.id);
    await h.subscribe(a.subscription, null);
    await h.subscribe(b.subscription, null);
    a.events.length = 0;
    b.events.length = 0;

    // The calls end, as the engine ends them: rows and counters together.
    await t.sql`update call_queue set status = 'completed', finished_at = now()
      where campaign_id = ${one.campaign.id}`;
    await t.sql`update call_campaigns set queued_calls = 0, completed_calls = 3
      where id = ${one.campaign.id}`;
    await emitLiveEvent(t.sql, {
      tenantId: one.tenant.id,
      type: 'campaign.progress',
      id: one.campaign.id,
    });
    // Tenant two named with tenant one's campaign: read as tenant two, it is not there.
    await emitLiveEvent(t.db, {
      tenantId: two.tenant.id,
      type: 'campaign.progress',
      id: one.campaign.id,
    });
    await eventually(() => a.events.length === 1, 5000, 'tenant one’s event');
    await sleep(300);
    expect(progressOf(a.events[0]?.data)).toMatchObject({
      campaignId: one.campaign.id,
      completed: 3,
    });
    expect(b.events).toEqual([]);
  });

  it('sends a campaign’s watcher only that campaign’s events', async () => {
    const { tenant, campaign } = await runningCampaign(t.db, t.sql);
    const other = await runningCampaign(t.db, t.sql, tenant);
    const h = hub();
    const watcher = collector(tenant.id, campaign.id);
    const everything = collector(tenant.id);
    await h.subscribe(watcher.subscription, null);
    await h.subscribe(everything.subscription, null);
    expect(watcher.events.map((e) => e.type)).toEqual(['campaign.status', 'campaign.progress']);
    watcher.events.length = 0;
    everything.events.length = 0;
    await emitLiveEvent(t.sql, {
      tenantId: tenant.id,
      type: 'campaign.status',
      id: other.campaign.id,
    });
    await emitLiveEvent(t.sql, { tenantId: tenant.id, type: 'campaign.status', id: campaign.id });
    await eventually(() => everything.events.length === 2, 5000, 'both status events');
    expect(watcher.events.map((e) => e.data)).toEqual([{ id: campaign.id, status: 'running' }]);
  });

  it('replays what a client missed after its Last-Event-ID, else sends a fresh snapshot', async () => {
    const { tenant, campaign } = await runningCampaign(t.db, t.sql);
    const h = hub({ bufferSize: 4 });
    const first = collector(tenant.id);
    const close = await h.subscribe(first.subscription, null);
    const notify = () =>
      emitLiveEvent(t.sql, { tenantId: tenant.id, type: 'campaign.status', id: campaign.id });
    await notify();
    await eventually(() => first.events.length === 2, 5000, 'the first live event');
    const lastSeen = first.events.at(-1)?.id ?? '';
    close();

    // Someone else keeps the tenant subscribed, so the hub keeps reading its events.
    const other = collector(tenant.id);
    await h.subscribe(other.subscription, null);
    other.events.length = 0;
    await notify();
    await eventually(() => other.events.length === 1, 5000, 'a missed event');
    await notify();
    await eventually(() => other.events.length === 2, 5000, 'another missed event');

    const resumed = collector(tenant.id);
    await h.subscribe(resumed.subscription, lastSeen);
    expect(resumed.events.map((e) => e.id)).toEqual(other.events.map((e) => e.id));

    // An id from another process (or one the buffer no longer holds) gets a snapshot.
    const stranger = collector(tenant.id);
    await h.subscribe(stranger.subscription, '0badc0de-2');
    expect(stranger.events.map((e) => e.type)).toEqual(['campaign.progress']);
    for (let i = 0; i < 5; i++) {
      await notify();
      await eventually(() => other.events.length === 3 + i, 5000, 'filling the buffer');
    }
    const late = collector(tenant.id);
    await h.subscribe(late.subscription, lastSeen);
    expect(late.events.map((e) => e.type)).toEqual(['campaign.progress']);
  });

  it('sends a snapshot, not an empty replay, when a change came while nobody watched the tenant', async () => {
    const { tenant, campaign } = await runningCampaign(t.db, t.sql);
    const h = hub();
    const first = collector(tenant.id);
    const close = await h.subscribe(first.subscription, null);
    await emitLiveEvent(t.sql, { tenantId: tenant.id, type: 'campaign.status', id: campaign.id });
    await eventually(() => first.events.length === 2, 5000, 'a live event');
    close();
    await emitLiveEvent(t.sql, { tenantId: tenant.id, type: 'campaign.status', id: campaign.id });
    await sleep(300); // heard, but with nobody subscribed it is not read
    const again = collector(tenant.id);
    await h.subscribe(again.subscription, first.events.at(-1)?.id ?? null);
    expect(again.events.map((e) => e.type)).toEqual(['campaign.progress']);
  });

  it('re-sends a snapshot after its LISTEN connection is killed, and hears NOTIFYs again within 5 s', async () => {
    const pool = connectDatabase(t.url, { max: 2 });
    pools.push(pool);
    const { tenant, campaign } = await runningCampaign(t.db, t.sql);
    const h = hub({ pool });
    const a = collector(tenant.id);
    await h.subscribe(a.subscription, null);
    a.events.length = 0;

    const killed = await t.sql<{ pid: number }[]>`
      select pg_terminate_backend(pid), pid from pg_stat_activity
      where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`;
    expect(killed).toHaveLength(1);
    await eventually(
      () => a.events.some((e) => e.type === 'campaign.progress'),
      5000,
      'a snapshot after the reconnect',
    );

    const started = Date.now();
    let heard = false;
    while (!heard && Date.now() - started < 5000) {
      await emitLiveEvent(t.sql, { tenantId: tenant.id, type: 'campaign.status', id: campaign.id });
      await sleep(100);
      heard = a.events.some((e) => e.type === 'campaign.status');
    }
    expect(heard).toBe(true);
  });

  it('probes its LISTEN connection without disturbing subscribers while it hears itself', async () => {
    const { tenant, campaign } = await runningCampaign(t.db, t.sql);
    const h = hub({ probeMs: 50 });
    const a = collector(tenant.id);
    await h.subscribe(a.subscription, null);
    await sleep(400); // several probes, each heard: no re-listen, so no fresh snapshot
    expect(a.events.map((e) => e.type)).toEqual(['campaign.progress']);
    await emitLiveEvent(t.sql, { tenantId: tenant.id, type: 'campaign.status', id: campaign.id });
    await eventually(() => a.events.length === 2, 5000, 'the event');
    await sleep(200);
    expect(a.events.map((e) => e.type)).toEqual(['campaign.progress', 'campaign.status']);
  });

  it('leaves nothing subscribed after a subscriber closes', async () => {
    const { tenant } = await runningCampaign(t.db, t.sql);
    const h = hub();
    const closes = await Promise.all(
      Array.from({ length: 5 }, () => h.subscribe(collector(tenant.id).subscription, null)),
    );
    expect(h.subscribers()).toBe(5);
    for (const close of closes) close();
    expect(h.subscribers()).toBe(0);
  });

  it('ignores NOTIFYs that are not live events, and refuses a payload beyond ids', async () => {
    const tenant = await makeTenant(t.db);
    const h = hub();
    const a = collector(tenant.id);
    await h.subscribe(a.subscription, null);
    await t.sql`select pg_notify('live_events', 'not json'), pg_notify('live_events', '{"x":1}')`;
    await sleep(200);
    expect(a.events).toEqual([]);
    await expect(
      emitLiveEvent(t.sql, { tenantId: tenant.id, type: 'campaign.status', id: 'x'.repeat(65) }),
    ).rejects.toThrow();
  });
});
