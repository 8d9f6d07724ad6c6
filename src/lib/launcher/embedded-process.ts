import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const SCRIPT = resolve(import.meta.dirname, '../../cli/embedded-db.ts');

/** Starts src/cli/embedded-db.ts detached (see there why) and waits for its URL. */
export function startEmbeddedDatabase(
  dataDir: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SCRIPT, join(dataDir, 'postgres'), join(dataDir, 'postgres.log')],
    { detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((resolvePromise, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`embedded PostgreSQL process exited (code ${code})`)),
    );
    child.once('message', (message: { url?: string; error?: string }) => {
      if (!message.url)
        return reject(new Error(message.error ?? 'embedded PostgreSQL failed to start'));
      resolvePromise({
        url: message.url,
        stop: async () => {
          if (child.connected) child.send('stop');
          else child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
