/**
 * One line for a log saying why something failed. Drizzle wraps a database
 * error as "Failed query: <sql> params: <values>" with PostgreSQL's own error
 * as its `cause`: the reason (a deadlock, a lost connection) is in the cause,
 * and the params may hold phone numbers or webhook bodies, so the wrapper's
 * text is left out and the innermost cause speaks, with its SQLSTATE.
 */
export function describeError(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null | undefined)?.cause;
    if (!(cause instanceof Error)) break;
    current = cause;
  }
  if (!(current instanceof Error)) return String(current);
  const code = (current as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? `${current.message} (${code})` : current.message;
}
