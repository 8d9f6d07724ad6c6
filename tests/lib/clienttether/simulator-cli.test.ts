import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const TOKEN = 'sim-token-cli-44c1';
const KEY = 'CT_c11c11c11c11c11c11c11c11c11c11c1';

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}
const runs: Run[] = [];
afterEach(() => {
  for (const run of runs.splice(0)) if (run.child.exitCode === null) run.child.kill('SIGKILL');
});

function launch(args: string[]): Run {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/clienttether-simulator.ts', ...args],
    { cwd: root, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const run = { child, stdout: () => stdout, stderr: () => stderr, exited };
  runs.push(run);
  return run;
}

async function firstLine(run: Run): Promise<string> {
  for (let waited = 0; waited < 20_000; waited += 25) {
    const newline = run.stdout().indexOf('\n');
    if (newline >= 0) return run.stdout().slice(0, newline);
    if (run.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no URL line; stderr: ${run.stderr()}`);
}

describe('clienttether-simulator CLI', () => {
  it('prints one URL line, serves the tenants, and exits 0 on SIGTERM', async () => {
    const run = launch([
      '--port',
      '0',
      '--access-token',
      TOKEN,
      '--tenant',
      `${KEY}:7:500:200`,
      '--tenant',
      'CT_second:8',
    ]);
    const { url } = JSON.parse(await firstLine(run));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/api\/$/);
    const read = async (endpoint: string, webKey = KEY) =>
      (
        await fetch(url + endpoint, { headers: { 'X-Access-Token': TOKEN, 'X-Web-Key': webKey } })
      ).json();
    expect((await read('read_client_list')).TotalRecord).toBe(500);
    expect((await read('read_opportunity_list')).TotalRecord).toBe(200);
    expect((await read('read_client_list', 'CT_second')).TotalRecord).toBe(300);

    const evolve = await fetch(new URL(`/__simulator/evolve?webKey=${KEY}`, url), {
      method: 'POST',
      headers: { 'X-Access-Token': TOKEN },
    });
    expect(evolve.status).toBe(200);
    expect((await read('read_client_list')).TotalRecord).toBeGreaterThan(500);

    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stdout().trim().split('\n')).toHaveLength(1);
    expect(run.stderr()).toBe('');
    expect(run.stdout()).not.toContain(TOKEN);
  });

  it('exits 2 with a usage message and no output when the access token is missing', async () => {
    const run = launch(['--tenant', `${KEY}:1`]);
    expect(await run.exited).toBe(2);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toContain('--access-token');
  });

  it('rejects a malformed tenant without printing its web key', async () => {
    const run = launch(['--access-token', TOKEN, '--tenant', `${KEY}:seven`]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).not.toContain(KEY);
    expect(run.stderr()).not.toContain(TOKEN);
  });
});
