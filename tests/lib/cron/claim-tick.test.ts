import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimTick } from '../../../src/lib/cron/claim-tick';
import { connectDatabase, type DatabaseHandle } from '../../../src/lib/db/client';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

const MINUTE = 60_000;
const T0 = new Date('2030-09-01T00:00:00.000Z');
const tick = (n: number) => new Date(T0.getTime() + n * MINUTE);
let jobCounter = 0;
const newJob = () => `job-${process.pid}-${++jobCounter}`;

async function row(job: string) {
  const [r] = await t.sql<{ last_tick: string; last_run_by: string | null }[]>`
    select last_tick, last_run_by from cron_ticks where job = ${job}`;
  return r && { lastTick: new Date(r.last_tick), lastRunBy: r.last_run_by };
}

describe('claimTick', () => {
  let workers: DatabaseHandle[] = [];
  beforeAll(() => {
    // Three "processes", each with its own pool.
    workers = [0, 1, 2].map(() => connectDatabase(t.url, { max: 2 }));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
  });

  it('lets exactly one of two concurrent claims of the same job and tick win', async () => {
    const job = newJob();
    const [a, b] = workers;
    if (!a || !b) throw new Error('workers missing');
    const results = await Promise.all([
      claimTick(a.db, job, tick(0), 'worker-a'),
      claimTick(b.db, job, tick(0), 'worker-b'),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? 'worker-a' : 'worker-b';
    expect(await row(job)).toEqual({ lastTick: tick(0), lastRunBy: winner });
  });

  it('gives every tick to exactly one worker when all of them race for each', async () => {
    const job = newJob();
    for (let n = 0; n < 15; n++) {
      const results = await Promise.all(
        workers.map((w, i) => claimTick(w.db, job, tick(n), `worker-${i}`)),
      );
      expect(results.filter(Boolean), `tick ${n}`).toHaveLength(1);
    }
    expect((await row(job))?.lastTick).toEqual(tick(14));
  });

  it('refuses an older tick after a newer one, and the same tick twice', async () => {
    const job = newJob();
    expect(await claimTick(t.db, job, tick(5), 'a')).toBe(true);
    expect(await claimTick(t.db, job, tick(4), 'restarted')).toBe(false);
    expect(await claimTick(t.db, job, tick(5), 'restarted')).toBe(false);
    expect(await row(job)).toEqual({ lastTick: tick(5), lastRunBy: 'a' });
  });

  it('grants a later tick', async () => {
    const job = newJob();
    expect(await claimTick(t.db, job, tick(1), 'a')).toBe(true);
    expect(await claimTick(t.db, job, tick(2), 'b')).toBe(true);
    expect(await claimTick(t.db, job, new Date(tick(2).getTime() + 1), 'c')).toBe(true);
    expect(await row(job)).toEqual({ lastTick: new Date(tick(2).getTime() + 1), lastRunBy: 'c' });
  });

  it('keeps jobs independent of each other', async () => {
    const first = newJob();
    const second = newJob();
    expect(await claimTick(t.db, first, tick(10), 'a')).toBe(true);
    expect(await claimTick(t.db, second, tick(3), 'a')).toBe(true);
    expect(await claimTick(t.db, first, tick(3), 'a')).toBe(false);
  });
});
