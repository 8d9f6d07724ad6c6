/**
 * One line for a log saying why something failed. Drizzle wraps a database
 * error as "Failed query: <sql> params: <values>" with PostgreSQL's own error
 * as its `cause`: the reason (a deadlock, a lost connection) is in the cause,
 * and the params may hold phone numbers or webhook bodies, so the wrapper's
 * text is left out and the innermost cause speaks, with its SQLSTATE.
 */
export function describeError(error: unknown): string {
  const current = innermostCause(error);
  if (!(current instanceof Error)) return String(current);
  const code = sqlStateOf(current);
  return code ? `${current.message} (${code})` : current.message;
}

/** The SQLSTATE of the database error inside `error` (drizzle's wrapper included), if any. */
export function sqlStateOf(error: unknown): string | null {
  const code = (innermostCause(error) as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : null;
}

function innermostCause(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null | undefined)?.cause;
    if (!(cause instanceof Error)) break;
    current = cause;
  }
  return current;
}
