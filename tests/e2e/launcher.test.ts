import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_USERS } from '../../src/lib/demo/seed';
import { findFreePort, isPortFree } from '../../src/lib/launcher/free-port';
import { HttpClient } from '../helpers/http-client';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-launcher-'));
chmodSync(dataDir, 0o755);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Processes whose command line mentions `needle` (the launcher's data dir or port). */
function processesMentioning(needle: string): string[] {
  return readdirSync('/proc').flatMap((pid) => {
    if (!/^\d+$/.test(pid)) return [];
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      return cmd.includes(needle) ? [`${pid}: ${cmd}`] : [];
    } catch {
      return [];
    }
  });
}

describe('npm start (the launcher)', () => {
  it('serves the login page on the embedded database, lets the demo owner in, and Ctrl-C leaves nothing behind', async () => {
    const port = await findFreePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      SWITCHBOARD_DATA_DIR: dataDir,
      PORT: String(port),
    };
    const started = Date.now();
    // Detached: its own process group, so the test can send Ctrl-C's SIGINT to the whole group.
    const launcher = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    launcher.stdout.on('data', (d) => {
      output += d;
    });
    launcher.stderr.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((done) => launcher.on('exit', (code) => done(code)));

    const deadline = Date.now() + 60_000;
    while (!output.includes('Switchboard is running at') && Date.now() < deadline) {
      if (launcher.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(output, output).toContain(`Switchboard is running at http://127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(60_000);
    const owner = DEMO_USERS[0];
    expect(output).toContain(owner.email);
    expect(output).toContain(DEMO_PASSWORD);

    const client = new HttpClient(`http://127.0.0.1:${port}`);
    const page = await client.request('/login');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign in');
    expect((await client.login(owner.email, DEMO_PASSWORD)).status).toBe(200);
    expect((await client.request('/workspaces')).status).toBe(200);

    process.kill(-(launcher.pid as number), 'SIGINT');
    expect(await exited).toBe(0);
    // The database process was detached from the group; it must still have been stopped.
    const leftovers = processesMentioning(dataDir);
    expect(leftovers, leftovers.join('\n')).toEqual([]);
    expect(await isPortFree(port)).toBe(true);
    expect(output).toContain('stopping PostgreSQL');
  }, 90_000);
});
