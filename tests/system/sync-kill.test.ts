/**
 * Issue 10 §2, the sync path: a worker is SIGKILLed in the middle of the
 * hourly ClientTether sync. Three workspaces are synced one after another
 * (by slug) from a slow simulator; the kill lands while the second one's run
 * is under way (asserted: its run is still `running`, some of its pages are
 * stored, and the third was never asked for), then a replacement worker starts.
 *
 * Bound: within 45 s of the replacement starting, the interrupted run is
 * closed as failed and the hour's sync is finished by the replacement: the
 * second and third workspaces each get one successful run. Asserted after: the
 * first workspace, synced before the kill, is untouched (one run, no re-sync);
 * no run is left running or skipped; each workspace's synced leads,
 * opportunities, stages, users, history notes and events are exactly the
 * simulator's (none lost, none twice); nothing logged an error.
 */
import { describe, expect, it } from 'vitest';
import { startClientTetherSimulator } from '../../src/lib/clienttether/simulator';
import { formatCtDateTime } from '../../src/lib/sync/ct-time';
import { makeTenant } from '../factories';
import {
  connectTenant,
  newWebKey,
  SIM_ACCESS_TOKEN,
  TEST_SECRETS_KEY,
} from '../helpers/clienttether';
import { useTestDatabase } from '../helpers/db';
import { startWorkerProcess } from '../helpers/worker-process';
import { clearOfTheHour, problemLines } from './fault-helpers';
import { until, useProcesses } from './harness';

const t = useTestDatabase({ max: 4 });
const ZONE = 'America/New_York';
/** Per request: a workspace's sync (about 50 requests, 4 at a time for notes) takes seconds. */
const LATENCY_MS = 150;
const DAY = 86_400_000;

interface Run {
  id: string;
  tenant_id: string;
  status: string;
  trigger: string;
  startedAt: number;
  error_message: string | null;
}

const runsOf = (tenantId: string) =>
  t.sql<Run[]>`select id, tenant_id, status, trigger, error_message,
      (extract(epoch from started_at) * 1000)::float8 as "startedAt"
    from sync_runs where tenant_id = ${tenantId} order by started_at`;

const idsOf = async (table: string, tenantId: string, where = 'true') => {
  const rows = await t.sql<{ ct_id: string }[]>`
    select ct_id from ${t.sql(table)} where tenant_id = ${tenantId} and ${t.sql.unsafe(where)}`;
  return rows.map((r) => r.ct_id).sort();
};

const sorted = (ids: (string | undefined)[]) => ids.map(String).sort();

describe('a worker SIGKILLed in the middle of the hourly sync', () => {
  const run = useProcesses();

  it('is replaced: the interrupted run is closed, the hour finishes, no row lost or doubled, other workspaces untouched', async () => {
    // The whole test within one hourly tick, so that every run below belongs to it.
    await clearOfTheHour(100_000);
    const accounts = [];
    for (const seed of [1, 2, 3]) {
      const tenant = await makeTenant(t.db, { timezone: ZONE });
      accounts.push({ tenant, webKey: newWebKey(), seed });
    }
    // The hourly job syncs workspaces in slug order.
    accounts.sort((a, b) => a.tenant.slug.localeCompare(b.tenant.slug));
    const crm = await startClientTetherSimulator({
      accessToken: SIM_ACCESS_TOKEN,
      tenants: accounts.map((a) => ({
        webKey: a.webKey,
        seed: a.seed,
        clients: 40,
        opportunities: 15,
        timeZone: ZONE,
      })),
    });
    run.stoppers.push(() => crm.stop());
    for (const a of accounts) await connectTenant(t.db, a.tenant.id, a.webKey);
    crm.setFaults({ latencyMs: LATENCY_MS });
    const [before, victim, after] = accounts as [
      (typeof accounts)[0],
      (typeof accounts)[0],
      (typeof accounts)[0],
    ];

    const env = { CLIENTTETHER_API_URL: crm.url, SECRETS_KEY: TEST_SECRETS_KEY };
    const first = startWorkerProcess(t.url, env);
    run.workers.push(first);
    // Mid-sync: the second workspace's run has stored some pages and not finished.
    await until(
      "the second workspace's sync under way",
      async () => {
        const [open] = await t.sql<{ pages: number }[]>`
          select count(s.*)::int as pages from sync_runs r
          left join ct_raw_snapshots s on s.tenant_id = r.tenant_id and s.run_id = r.id
          where r.tenant_id = ${victim.tenant.id} and r.status = 'running'`;
        return (open?.pages ?? 0) >= 3;
      },
      60_000,
    );
    await first.stop('SIGKILL');
    const killedAt = new Date();

    // The kill landed mid-sync: nobody else can have closed the run, and the third was not reached.
    const interrupted = await runsOf(victim.tenant.id);
    expect(interrupted.map((r) => r.status)).toEqual(['running']);
    expect((await runsOf(before.tenant.id)).map((r) => r.status)).toEqual(['success']);
    expect(await runsOf(after.tenant.id)).toEqual([]);
    const suffix = (webKey: string) => webKey.slice(-4);
    const asked = crm.requestLog().map((r) => r.webKeySuffix);
    expect(asked).toContain(suffix(victim.webKey));
    expect(asked).not.toContain(suffix(after.webKey));

    const replacement = startWorkerProcess(t.url, env);
    run.workers.push(replacement);
    await until(
      'the hour to be finished by the replacement',
      async () => {
        const runs = await t.sql<Run[]>`select status from sync_runs
          where tenant_id in (${victim.tenant.id}, ${after.tenant.id}) and status = 'success'`;
        return runs.length === 2;
      },
      45_000,
    );
    await new Promise((r) => setTimeout(r, 1_000)); // a late extra run would show by now

    // The interrupted run: closed as failed, with a reason; the next one succeeded.
    const victimRuns = await runsOf(victim.tenant.id);
    expect(victimRuns.map((r) => [r.status, r.trigger])).toEqual([
      ['failed', 'scheduled'],
      ['success', 'scheduled'],
    ]);
    expect(victimRuns[0]?.error_message).toMatch(/interrupted/);
    expect(victimRuns[0]?.id).toBe(interrupted[0]?.id);
    // The others: the first synced once, before the kill; the third once, after it.
    const beforeRuns = await runsOf(before.tenant.id);
    expect(beforeRuns.map((r) => r.status)).toEqual(['success']);
    expect(beforeRuns[0]?.startedAt).toBeLessThan(killedAt.getTime());
    const afterRuns = await runsOf(after.tenant.id);
    expect(afterRuns.map((r) => [r.status, r.trigger])).toEqual([['success', 'scheduled']]);
    expect(afterRuns[0]?.startedAt).toBeGreaterThan(killedAt.getTime());

    // Every workspace holds exactly the simulator's records: none lost, none twice.
    for (const a of accounts) {
      const data = crm.dataset(a.webKey);
      const id = a.tenant.id;
      expect(await idsOf('ct_leads', id)).toEqual(sorted(data.clients.map((c) => c.client_id)));
      expect(await idsOf('ct_opportunities', id)).toEqual(
        sorted(data.opportunities.map((o) => o.opportunity_id)),
      );
      expect(await idsOf('ct_sales_cycles', id)).toEqual(
        sorted(data.salesCycles.map((s) => s.sales_cycle_id)),
      );
      expect(await idsOf('ct_users', id)).toEqual(sorted(data.users.map((u) => u.user_id)));
      expect(await idsOf('ct_notes', id, `kind <> 'whiteboard'`)).toEqual(
        sorted(data.notes.map((n) => n.history_id)),
      );
      // Events: those inside the window the successful run asked for (30 days back, 90 ahead).
      const [ok] = (await runsOf(id)).filter((r) => r.status === 'success');
      const startedAt = ok?.startedAt ?? 0;
      const from = formatCtDateTime(new Date(startedAt - 30 * DAY), ZONE);
      const to = formatCtDateTime(new Date(startedAt + 90 * DAY), ZONE);
      const inWindow = data.events.filter(
        (e) => (e.start_date ?? '') >= from && (e.start_date ?? '') <= to,
      );
      expect(await idsOf('ct_scheduled_activities', id)).toEqual(
        sorted(inWindow.map((e) => e.event_id)),
      );
      // None of these comparisons is of empty sets.
      expect([data.clients.length, data.notes.length > 0, inWindow.length > 0]).toEqual([
        40,
        true,
        true,
      ]);
    }
    expect(
      (await t.sql`select 1 from sync_runs where status in ('running', 'skipped')`).length,
    ).toBe(0);
    expect(problemLines(replacement.output())).toEqual([]);
  }, 150_000);
});
