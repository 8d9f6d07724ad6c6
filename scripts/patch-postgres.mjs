/**
 * Fixes postgres.js (3.4.9, the latest release) so a transaction's BEGIN always
 * reserves its connection — porsager/postgres#823 and #1189, fixes proposed in
 * #1207 and #1218, not released. Decision 009 says why we patch instead of
 * waiting: under load the driver could send BEGIN on a busy connection without
 * reserving it, fail the transaction with UNSAFE_TRANSACTION, and hand the
 * connection back to the pool still inside the server-side transaction, so
 * unrelated statements (a webhook's, a dial's record) ran inside it.
 *
 * Two edits, in each build of the driver (ESM, CommonJS, Cloudflare):
 * - execute(): run `onexecute` (how begin() reserves the connection) whenever
 *   the query was written, not only when the connection also had pipeline
 *   room and an empty socket buffer; a query with `onexecute` still reports
 *   the connection as not ready, as before, so nothing else pipelines on it.
 * - drain(): a reserved connection is never offered back to the pool.
 *
 * Idempotent; fails the install if the driver's code no longer matches, so an
 * upgrade is looked at (drop this script once a release carries the fix).
 * Run by `postinstall`; tests/lib/db/begin-under-load.test.ts proves it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'postgres');
const MARK = '/* switchboard: begin reserves its connection */';

const edits = [
  {
    from: `      return write(toBuffer(q))
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline
        && (!q.options.onexecute || q.options.onexecute(connection))`,
    to: `      ${MARK}
      const ready = write(toBuffer(q))
        && !q.describeFirst
        && !q.cursorFn
        && sent.length < max_pipeline
      if (!q.options.onexecute)
        return ready
      q.options.onexecute(connection)
      return false`,
  },
  {
    from: `  function drain() {
    !query && onopen(connection)
  }`,
    to: `  function drain() {
    !query && !connection.reserved && onopen(connection)
  }`,
  },
];

if (!existsSync(root)) process.exit(0); // not installed (e.g. a production install without it)
for (const build of ['src', 'cjs/src', 'cf/src']) {
  const file = join(root, build, 'connection.js');
  let text = readFileSync(file, 'utf8');
  if (text.includes(MARK)) continue;
  for (const edit of edits) {
    if (!text.includes(edit.from)) {
      console.error(`patch-postgres: ${file} no longer matches; see scripts/patch-postgres.mjs`);
      process.exit(1);
    }
    text = text.replace(edit.from, edit.to);
  }
  writeFileSync(file, text);
}
