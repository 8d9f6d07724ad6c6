/**
 * What the database's backends are doing, sampled from pg_stat_activity every
 * `everyMs`: the active ones grouped by wait event (CPU when none) and the
 * start of their statement. `top` gives the mean number of backends per
 * sample in each group, so 1.0 is one backend busy all the time, and the
 * longest any statement of the group had been running when sampled.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type postgres from 'postgres';

export function sampleActivity(
  sql: postgres.Sql,
  options: { everyMs?: number; exclude?: string; excludeApplication?: string } = {},
) {
  const counts = new Map<string, number>();
  const longest = new Map<string, number>();
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const rows = await sql<{ what: string; n: number; seconds: number }[]>`
        select coalesce(wait_event_type || ':' || wait_event, 'CPU') || '  ' ||
               regexp_replace(left(regexp_replace(query, '\\s+', ' ', 'g'), 70), '\\$\\d+', '?', 'g')
                 as what,
               count(*)::int as n,
               max(extract(epoch from now() - query_start))::float8 as seconds
        from pg_stat_activity
        where datname = current_database() and state = 'active' and pid <> pg_backend_pid()
          ${options.exclude ? sql`and query not like ${`%${options.exclude}%`}` : sql``}
          ${options.excludeApplication ? sql`and application_name <> ${options.excludeApplication}` : sql``}
        group by 1`.catch(() => null);
      if (rows) {
        samples += 1;
        for (const r of rows) {
          counts.set(r.what, (counts.get(r.what) ?? 0) + r.n);
          longest.set(r.what, Math.max(longest.get(r.what) ?? 0, r.seconds));
        }
      }
      await sleep(options.everyMs ?? 50);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
    top: (n: number) =>
      [...counts]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([what, count]) => ({
          what,
          mean: count / Math.max(1, samples),
          longestSeconds: longest.get(what) ?? 0,
        })),
  };
}
