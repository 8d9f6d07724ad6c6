/**
 * Issue 10 §2 on the call path, with the multi-process harness: while three
 * campaigns run on two web servers and two workers, the provider refuses some
 * dials (500, 429 with Retry-After), drops some calls' final webhooks,
 * duplicates and reorders others; one worker is SIGKILLed and replaced; and
 * every LISTEN connection in the database (the web servers' live-events
 * hubs, the workers' slot-freed wake-ups) is terminated mid-run.
 *
 * Bound: every row reaches a final state within 90 s of the workers
 * starting (retry delays are fast-forwarded: the campaigns' shortest delay is
 * a minute). Asserted after: caps never exceeded, no attempt of a row dialled
 * twice, every row in exactly one final state, counters and slots equal to
 * the rows, every accepted call completed (those whose final webhook was
 * dropped were settled from GET /executions), and the live streams still
 * carrying each campaign's completion after their LISTEN connection was cut.
 */
import { describe, expect, it } from 'vitest';
import { makeSession } from '../factories';
import { slotsInFlight } from '../factories/campaigns';
import { useTestDatabase } from '../helpers/db';
import { type DialAnswer, startFakeBolna } from '../helpers/fake-bolna';
import { startWebServer } from '../helpers/server';
import { openEventStream } from '../helpers/sse-client';
import { startWorkerProcess } from '../helpers/worker-process';
import {
  booksOf,
  openRows,
  rowOf,
  seedCallScenario,
  showsCompleted,
  until,
  useProcesses,
} from './harness';

const t = useTestDatabase({ max: 4 });
const SYSTEM_LIMIT = 4;
const FINAL = ['completed', 'failed', 'cancelled', 'skipped'];

/** 15 % of dials refused with a 500, 10 % rate-limited; the rest accepted. */
function flakyAnswer(): DialAnswer {
  const roll = Math.random();
  if (roll < 0.15) return 'error-500';
  if (roll < 0.25) return 'rate-limited';
  return 'accept';
}

/** Time passes faster than a campaign's shortest retry delay (a minute). */
async function fastForwardRetries(sql: typeof t.sql) {
  await sql`update call_queue set scheduled_at = now()
    where status = 'queued' and scheduled_at > now() and scheduled_at < 'infinity'`;
}

describe('faults during a multi-process run', () => {
  const run = useProcesses();

  it('recover by themselves: no cap exceeded, no double dial, one final state per row, books that agree', async () => {
    const scenario = await seedCallScenario(t.db, t.sql, {
      systemLimit: SYSTEM_LIMIT,
      callers: [
        { workspace: 'a', limit: 2 },
        { workspace: 'a', limit: 2 },
        { workspace: 'b', limit: 2 },
      ],
      callsPerCampaign: 8,
      campaign: { maxAttempts: 5, retryDelayMinutes: 1 },
    });
    const { tenants, campaigns } = scenario;
    run.webs.push(...(await Promise.all([startWebServer(t.url), startWebServer(t.url)])));
    const bolna = await startFakeBolna({
      agents: ['agent-a', 'agent-b'],
      answer: flakyAnswer,
      play: {
        webhookUrls: scenario.webhookUrls(() => run.webs.map((w) => w.url)),
        durationMs: [150, 600],
        duplicate: 0.3,
        reorder: 0.3,
        dropFinal: 0.15,
      },
      keyOf: scenario.userOfRef,
    });
    run.bolna = bolna;

    const { token } = await makeSession(t.db, campaigns[0]?.user.id ?? '');
    const cookie = `sb_session=${token}; sb_tenant=${tenants.a.id}`;
    for (const web of run.webs) {
      const warmUp = await fetch(`${web.url}/api/events?campaign=warm-up`, { headers: { cookie } });
      expect(warmUp.status).toBe(404);
    }
    const watching = run.webs.map((web) => openEventStream(`${web.url}/api/events`, cookie));
    run.streams.push(...watching);
    await until('streams open', async () => watching.every((s) => s.state.status === 200), 10_000);

    const env = {
      BOLNA_API_URL: bolna.url,
      BOLNA_API_KEY: 'bn-test-key-faults',
      DISPATCH_LEASE_SECONDS: '2',
      DISPATCH_STALE_CALL_SECONDS: '3',
    };
    run.workers.push(startWorkerProcess(t.url, env), startWorkerProcess(t.url, env));

    // Some way in: kill a worker outright and start another; cut every LISTEN.
    await until('some calls done', async () => bolna.delivered().finals >= 6, 45_000);
    await run.workers[0]?.stop('SIGKILL');
    run.workers.push(startWorkerProcess(t.url, env));
    const killed = await t.sql<{ pid: number }[]>`
      select pg_terminate_backend(pid), pid from pg_stat_activity
      where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`;
    expect(killed.length).toBeGreaterThanOrEqual(2);

    await until(
      'every row final',
      async () => {
        await fastForwardRetries(t.sql);
        return (await openRows(t.sql)) === 0;
      },
      90_000,
    );

    const high = bolna.highWater();
    expect(high.total).toBeLessThanOrEqual(SYSTEM_LIMIT);
    for (const c of campaigns) {
      expect(high.byKey.get(c.user.id) ?? 0).toBeLessThanOrEqual(c.limit);
    }
    // The faults happened.
    expect(bolna.refused()['error-500']).toBeGreaterThan(0);
    expect(bolna.delivered().dropped).toBeGreaterThan(0);
    // No attempt of a row was dialled twice (a killed worker's rows were looked up, not redialled).
    const refs = bolna.executions.map((e) => String(e.user_data.switchboard_call_id));
    expect(new Set(refs).size).toBe(refs.length);
    // Each row ended once; every call the provider accepted ended completed.
    const states = await t.sql<{ status: string; provider_call_id: string | null }[]>`
      select status, provider_call_id from call_queue`;
    expect(states.every((s) => FINAL.includes(s.status))).toBe(true);
    expect(
      new Set(states.filter((s) => s.status === 'completed').map((s) => s.provider_call_id)),
    ).toEqual(new Set(bolna.executions.map((e) => e.id)));
    expect(new Set(refs.map(rowOf)).size).toBe(bolna.executions.length);
    expect(await booksOf(t.sql)).toEqual(campaigns.map(() => ({ open: 0, agree: true })));
    expect((await slotsInFlight(t.db)).system).toBe(0);

    // The streams, whose LISTEN connections were cut, still saw workspace A's campaigns finish.
    const own = campaigns.filter((c) => c.tenant.id === tenants.a.id).map((c) => c.campaign.id);
    await until(
      'the completions on both streams',
      async () => watching.every((s) => own.every((id) => showsCompleted(s.frames, id))),
      10_000,
    );
  }, 150_000);
});
