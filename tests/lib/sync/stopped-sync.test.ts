/**
 * A sync called off by its stopping worker (SyncContext.signal): it stops at
 * its next step, well within the worker's grace, logs no error, leaves the
 * tenant's synced data exactly as the last finished sync left it (pages are
 * raw snapshots until one transaction normalises them all), closes its run as
 * interrupted, and the next sync — or the tick's resume — does the work. The
 * worker-level counterpart is tests/system/sync-stop.test.ts.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { createClientTetherClient } from '../../../src/lib/clienttether/client';
import type { Database } from '../../../src/lib/db/client';
import * as schema from '../../../src/lib/db/schema';
import { runTenantSync, type SyncContext } from '../../../src/lib/sync/run-tenant-sync';
import { INTERRUPTED_MESSAGE } from '../../../src/lib/sync/runs';
import { resumeSyncTick, syncAllTenants } from '../../../src/lib/sync/sync-all';
import { makeTenant } from '../../factories';
import {
  connectTenant,
  newWebKey,
  simulatorSyncContext,
  useSimulator,
} from '../../helpers/clienttether';
import { loggedErrors } from '../../helpers/console';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
/** One simulated account per test: each evolves its own. */
const keys = { pages: newWebKey(), normalise: newWebKey(), tick: newWebKey() };
const sim = useSimulator([
  { webKey: keys.pages, seed: 51, clients: 250, opportunities: 60 },
  { webKey: keys.normalise, seed: 52, clients: 80, opportunities: 30 },
  { webKey: keys.tick, seed: 53, clients: 30, opportunities: 10 },
]);
/** Far inside the worker's 10 s grace: a stop is a matter of the next step, not of a timeout. */
const PROMPTLY_MS = 2_000;

// The hourly job syncs every connected tenant: each test's tenants are the only connected ones.
afterEach(async () => {
  await t.sql`update tenants set clienttether_web_key_sealed = null`;
});

async function connected(webKey: string) {
  const tenant = await makeTenant(t.db, { timezone: 'America/Chicago' });
  await connectTenant(t.db, tenant.id, webKey);
  return tenant;
}

/** Everything a sync writes for a tenant besides its run and raw pages, as one digest. */
async function syncedData(tenantId: string) {
  const tables = [
    'ct_sales_cycles',
    'ct_users',
    'ct_leads',
    'ct_opportunities',
    'ct_notes',
    'ct_scheduled_activities',
    'lead_metrics',
    'lead_daily_counts',
    'pipeline_stage_counts',
    'hot_list_items',
  ];
  const digests: Record<string, string> = {};
  for (const table of tables) {
    const [row] = await t.sql<{ rows: number; digest: string }[]>`
      select count(*)::int as rows, md5(coalesce(string_agg(r::text, '|' order by r::text), '')) as digest
      from ${t.sql(table)} r where r.tenant_id = ${tenantId}`;
    digests[table] = `${row?.rows}:${row?.digest}`;
  }
  return digests;
}

const leadIds = async (tenantId: string) =>
  (
    await t.sql<{ ct_id: string }[]>`
      select ct_id from ct_leads where tenant_id = ${tenantId} and deleted_at is null`
  )
    .map((r) => r.ct_id)
    .sort();

/**
 * A context whose ClientTether requests matching `hang` get no answer until
 * the sync is called off (as a hung server), and whose stop is `stop.abort()`.
 * `held` resolves when such a request is sent: the sync is mid-way, for sure.
 */
function stoppableContext(
  hang: (url: URL) => boolean,
  base: SyncContext = simulatorSyncContext(t, sim.simulator),
) {
  const stop = new AbortController();
  const held = Promise.withResolvers<void>();
  const hangingFetch: typeof fetch = async (input, init) => {
    const signal = init?.signal;
    if (signal && hang(new URL(String(input)))) {
      held.resolve();
      if (!signal.aborted)
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    }
    return fetch(input, init); // with the signal aborted, it rejects as a cut-off request does
  };
  const ctx: SyncContext = {
    ...base,
    signal: stop.signal,
    createClient: (credentials, signal) =>
      createClientTetherClient({
        baseUrl: sim.simulator.url,
        credentials,
        random: () => 0,
        sleep: async () => {},
        timeoutMs: 60_000,
        fetch: hangingFetch,
        signal,
      }),
  };
  return { ctx, stop, held: held.promise };
}

describe('a sync called off by a stopping worker', () => {
  it('stops between pages: no request after the stop, data untouched, run interrupted; the next sync completes', async () => {
    const tenant = await connected(keys.pages);
    const plain = simulatorSyncContext(t, sim.simulator);
    expect((await runTenantSync(plain, tenant.id)).status).toBe('success');
    sim.simulator.evolve(keys.pages, 5); // so the stopped sync had changes it could have half-applied
    const before = await syncedData(tenant.id);

    // The second page of clients hangs: the first is stored, the run is mid-fetch.
    const { ctx, stop, held } = stoppableContext(
      (url) =>
        url.pathname.endsWith('/read_client_list') && url.searchParams.get('offset') === '100',
    );
    const syncing = runTenantSync(ctx, tenant.id);
    await held;
    const requestsBefore = sim.simulator.requestLog().length;
    const stoppedAt = performance.now();
    stop.abort();
    const outcome = await syncing;

    expect(performance.now() - stoppedAt).toBeLessThan(PROMPTLY_MS);
    expect(outcome).toMatchObject({
      status: 'interrupted',
      run: { status: 'failed', errorMessage: INTERRUPTED_MESSAGE },
    });
    expect(outcome.run.finishedAt).not.toBeNull();
    expect(sim.simulator.requestLog()).toHaveLength(requestsBefore);
    expect(loggedErrors()).toEqual([]);
    // Nothing normalised: the tenant's data is the previous sync's, to the byte.
    expect(await syncedData(tenant.id)).toEqual(before);
    // What it fetched stays as raw pages of its own run: whole pages, up to the one that hung.
    const pages = await t.sql<{ resource: string; page: number }[]>`
      select resource, page from ct_raw_snapshots where run_id = ${outcome.run.id}
      order by resource, page`;
    expect(pages.map((p) => `${p.resource}:${p.page}`)).toEqual([
      'clients:0',
      'lead_sources:0',
      'sales_cycles:0',
      'users:0',
    ]);

    const next = await runTenantSync(plain, tenant.id);
    expect(next.status).toBe('success');
    expect(await leadIds(tenant.id)).toEqual(
      sim.simulator
        .dataset(keys.pages)
        .clients.map((c) => c.client_id)
        .sort(),
    );
    expect(await syncedData(tenant.id)).not.toEqual(before);
  });

  it('stopped while normalising: rolls the transaction back whole, and the next sync completes', async () => {
    const tenant = await connected(keys.normalise);
    const plain = simulatorSyncContext(t, sim.simulator);
    expect((await runTenantSync(plain, tenant.id)).status).toBe('success');
    sim.simulator.evolve(keys.normalise, 5);
    const before = await syncedData(tenant.id);

    // The stop lands as the leads' upsert is sent, after sales cycles and users were written
    // in the same transaction: the statement finishes, the next step sees the stop.
    const stop = new AbortController();
    let sawLeadsUpsert = false;
    const watched = postgres(t.url, {
      max: 2,
      onnotice: () => {},
      debug: (_connection, query) => {
        if (!query.includes('insert into ct_leads')) return;
        sawLeadsUpsert = true;
        stop.abort();
      },
    });
    onTestFinished(() => watched.end({ timeout: 5 }));
    const ctx: SyncContext = {
      ...plain,
      db: drizzle(watched, { schema }) as Database,
      signal: stop.signal,
    };
    const stoppedAt = performance.now();
    const outcome = await runTenantSync(ctx, tenant.id);

    expect(sawLeadsUpsert).toBe(true);
    expect(performance.now() - stoppedAt).toBeLessThan(10_000);
    expect(outcome).toMatchObject({
      status: 'interrupted',
      run: { status: 'failed', errorMessage: INTERRUPTED_MESSAGE },
    });
    expect(loggedErrors()).toEqual([]);
    expect(await syncedData(tenant.id)).toEqual(before);

    expect((await runTenantSync(plain, tenant.id)).status).toBe('success');
    expect(await leadIds(tenant.id)).toEqual(
      sim.simulator
        .dataset(keys.normalise)
        .clients.map((c) => c.client_id)
        .sort(),
    );
  });

  it("ends the hour's loop there: no other tenant is started, and the tick's resume syncs both", async () => {
    const tick = new Date();
    const first = await connected(keys.tick);
    const second = await connected(keys.tick);
    // Whichever tenant the loop takes first hangs on its client list; the other is never reached.
    const { ctx, stop, held } = stoppableContext((url) =>
      url.pathname.endsWith('/read_client_list'),
    );
    const lines: string[] = [];
    const looping = syncAllTenants(ctx, (line) => lines.push(line), undefined, tick);
    await held;
    stop.abort();
    const summary = await looping;

    expect(summary).toMatchObject({ tenants: 2, interrupted: 1, success: 0, failed: 0 });
    expect(lines).toEqual([expect.stringMatching(/: interrupted in \d+ ms \(called off/)]);
    const runs = await t.sql<{ tenant_id: string; status: string; error_message: string }[]>`
      select tenant_id, status, error_message from sync_runs
      where tenant_id in (${first.id}, ${second.id})`;
    expect(runs).toEqual([
      expect.objectContaining({ status: 'failed', error_message: INTERRUPTED_MESSAGE }),
    ]);

    // The next worker's start: the interrupted tenant is not done for this tick, nor the other.
    const resumed = await resumeSyncTick(simulatorSyncContext(t, sim.simulator), () => {}, tick);
    expect(resumed).toMatchObject({ tenants: 2, success: 2, interrupted: 0, done: 0 });
    expect(loggedErrors()).toEqual([]);
  });
});
