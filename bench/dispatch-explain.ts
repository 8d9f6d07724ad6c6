/**
 * BENCH_EXPLAIN: the claim's query (the RETURN QUERY of claim_due_calls, read
 * from pg_proc so it is always the installed one) run by hand under EXPLAIN
 * (ANALYZE, BUFFERS) with the function's arguments substituted, under the
 * dispatcher's lock as the function takes it, then rolled back.
 */
import type postgres from 'postgres';

export async function explainClaim(sql: postgres.Sql, max = 100): Promise<string> {
  const [fn] = await sql<{ src: string }[]>`
    select prosrc as src from pg_proc where proname = 'claim_due_calls'`;
  const body = /RETURN QUERY\s+([\s\S]+?);\s*END\s*$/i.exec(fn?.src ?? '')?.[1];
  if (!body) return 'claim_due_calls: could not find its RETURN QUERY';
  try {
    return await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('switchboard:call-dispatch'))`;
      const [free] = await tx<{ v_free: number }[]>`
        select least(coalesce((select (value #>> '{}')::int from system_settings
                               where key = 'call_concurrency_limit'), 10)
                     - (select coalesce(sum(in_flight), 0) from call_slots),
                     ${max})::int as v_free`;
      const vFree = Number(free?.v_free ?? 0);
      const query = body
        .replace(/\bp_now\b/g, 'now()')
        .replace(/\bp_max\b/g, String(max))
        .replace(/\bp_lease\b/g, "interval '60 seconds'")
        .replace(/\bp_window_margin\b/g, "interval '30 seconds'")
        .replace(/\bv_free\b/g, String(Math.max(vFree, 0)));
      const plan = await tx.unsafe<{ 'QUERY PLAN': string }[]>(
        `explain (analyze, buffers, costs off) ${query}`,
      );
      throw new Rollback(`v_free = ${vFree}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
    });
  } catch (error) {
    if (error instanceof Rollback) return error.message;
    throw error;
  }
}

class Rollback extends Error {}
