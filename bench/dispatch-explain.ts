/**
 * BENCH_EXPLAIN: one claim_due_calls under load with auto_explain reporting
 * every statement inside it (EXPLAIN ANALYZE, BUFFERS) as notices, then rolled
 * back. The function's statements are plans of their own, so explaining the
 * call from outside would show only a function scan.
 */
import postgres from 'postgres';

export async function explainClaim(url: string, max = 100): Promise<string> {
  const notices: string[] = [];
  const sql = postgres(url, { max: 1, onnotice: (n) => notices.push(String(n.message)) });
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe("load 'auto_explain'");
      for (const setting of [
        'log_min_duration = 0',
        'log_analyze = on',
        'log_buffers = on',
        'log_timing = on',
        'log_nested_statements = on',
        'log_level = notice',
      ]) {
        await tx.unsafe(`set local auto_explain.${setting}`);
      }
      await tx`
        select count(*) from claim_due_calls(${max}, interval '60 seconds', interval '30 seconds', now())`;
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) return `claim_due_calls: ${String(error)}`;
  } finally {
    await sql.end();
  }
  return notices.join('\n\n');
}

class Rollback extends Error {}
