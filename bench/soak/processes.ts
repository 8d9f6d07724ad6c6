/**
 * The soak's processes — the built web server and the real worker — each with
 * its output in a log file, and a count of the error lines it printed (pino
 * level ≥ 50, or any line on stderr that is not JSON: console.error).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SERVER_ENTRY, SERVER_NODE_FLAGS } from '../../src/lib/launcher/build';
import { waitForHttp } from '../../src/lib/launcher/children';
import { findFreePort } from '../../src/lib/launcher/free-port';
import { root } from '../helpers';

export interface Proc {
  name: string;
  pid: number;
  logFile: string;
  /** Error lines so far, and the first few of them (cut short). */
  errors: { count: number; first: string[] };
  /** The inspector's WebSocket URL when started with `inspect` (SOAK_HEAP), else null. */
  inspectorUrl: Promise<string | null>;
  /** Set once the process has exited: its code or signal. */
  exit: () => string | null;
  stop: () => Promise<void>;
}

/** What Node prints on stderr when started with --inspect. */
const INSPECTOR_LINE = /^(Debugger listening on|For help, see: |Debugger attached)/;

function isErrorLine(line: string, stderr: boolean): boolean {
  if (!line.startsWith('{')) return stderr && !INSPECTOR_LINE.test(line);
  try {
    return Number((JSON.parse(line) as { level?: number }).level ?? 0) >= 50;
  } catch {
    return true;
  }
}

/** Runs `node <args>` with its output in `<logDir>/<name>.log`. */
function startLogged(
  name: string,
  args: string[],
  env: Record<string, string>,
  logDir: string,
  inspect: boolean,
) {
  const logFile = join(logDir, `${name}.log`);
  const log = createWriteStream(logFile);
  const child: ChildProcess = spawn(
    process.execPath,
    [...(inspect ? ['--inspect=127.0.0.1:0'] : []), ...args],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const errors = { count: 0, first: [] as string[] };
  let inspectorFound: (url: string | null) => void = () => {};
  const inspectorUrl = new Promise<string | null>((resolve) => {
    inspectorFound = resolve;
  });
  if (!inspect) inspectorFound(null);
  let exit: string | null = null;
  const exited = new Promise<void>((done) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? String(code);
      done();
    }),
  );
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      const ws = /Debugger listening on (ws:\S+)/.exec(line)?.[1];
      if (ws) inspectorFound(ws);
      if (!line.trim() || !isErrorLine(line, stream === child.stderr)) return;
      errors.count += 1;
      if (errors.first.length < 5) errors.first.push(line.slice(0, 300));
    });
  }
  const proc: Proc = {
    name,
    pid: child.pid ?? 0,
    logFile,
    errors,
    inspectorUrl,
    exit: () => exit,
    stop: async () => {
      if (exit === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
  return proc;
}

export async function startWeb(env: Record<string, string>, logDir: string, inspect = false) {
  const port = await findFreePort();
  const proc = startLogged(
    'web',
    [...SERVER_NODE_FLAGS, SERVER_ENTRY],
    { ...env, HOST: '127.0.0.1', PORT: String(port) },
    logDir,
    inspect,
  );
  const url = `http://127.0.0.1:${port}`;
  if (!(await waitForHttp(`${url}/api/health`, 60_000))) {
    await proc.stop();
    throw new Error(`the web server did not start; see ${proc.logFile}`);
  }
  return { ...proc, url };
}

/** The worker as `npm run worker` starts it. */
export function startWorker(env: Record<string, string>, logDir: string, inspect = false): Proc {
  return startLogged(
    'worker',
    ['--max-semi-space-size=8', '--import', 'tsx', 'worker/index.ts'],
    env,
    logDir,
    inspect,
  );
}
