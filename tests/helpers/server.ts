import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { SERVER_ENTRY, SERVER_ENV, SERVER_NODE_FLAGS } from '../../src/lib/launcher/build';
import { waitForHttp } from '../../src/lib/launcher/children';
import { findFreePort } from '../../src/lib/launcher/free-port';

const root = resolve(import.meta.dirname, '../..');

export interface WebServer {
  url: string;
  /** The server process, e.g. to read its memory from /proc. */
  pid: number;
  /** Everything the server printed, for assertions such as "no secret in the logs". */
  logs: () => string;
  stop: () => Promise<void>;
}

/** Runs the real built site (dist/, built by global setup) against `databaseUrl`. */
export async function startWebServer(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<WebServer> {
  const port = await findFreePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER_ENTRY], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      ...SERVER_ENV,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForHttp(`${url}/api/health`, 30_000))) {
    child.kill('SIGKILL');
    throw new Error(`web server did not start:\n${output}`);
  }
  return {
    url,
    pid: child.pid ?? 0,
    logs: () => output,
    stop: () =>
      new Promise((done) => {
        // Already gone (exited, or killed by a signal: exitCode stays null then): no 'exit' to wait for.
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

/** Per test file: a running web server on the file's database. */
export function useWebServer(databaseUrl: () => string, env: Record<string, string> = {}) {
  const state = {} as { server: WebServer };
  beforeAll(async () => {
    state.server = await startWebServer(databaseUrl(), env);
  });
  afterAll(async () => {
    await state.server?.stop();
  });
  return {
    get url() {
      return state.server.url;
    },
    logs: () => state.server.logs(),
  };
}
