import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/lib/config';
import { loginFailures, sessions } from '../../src/lib/db/schema';
import { authHousekeeping } from '../../worker/jobs/auth-housekeeping';
import { makeSession, makeUser } from '../factories';
import { useTestDatabase } from '../helpers/db';

const t = useTestDatabase();
const root = resolve(import.meta.dirname, '../..');
const DAY = 86_400_000;

describe('worker process', () => {
  it('logs its schedule and exits 0 promptly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/index.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, DATABASE_URL: t.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const deadline = Date.now() + 20_000;
    while (!output.includes(authHousekeeping.name) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('schedule');
    expect(output).toContain(authHousekeeping.schedule);

    const stopAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(15_000);
    expect(output).toContain('stopped');
  });
});

describe('auth housekeeping job', () => {
  it('deletes expired sessions and stale login failures, and keeps live ones', async () => {
    const now = new Date();
    const user = await makeUser(t.db);
    const live = await makeSession(t.db, user.id, now);
    const expired = await makeSession(t.db, user.id, new Date(now.getTime() - 31 * DAY));
    await t.db.insert(loginFailures).values([
      { email: 'old@example.test', failedAt: new Date(now.getTime() - 16 * 60_000) },
      { email: 'new@example.test', failedAt: now },
    ]);

    const summary = await authHousekeeping.run(
      {
        database: { db: t.db, sql: t.sql, close: async () => {} },
        config: loadConfig({ DATABASE_URL: t.url }),
        log: () => {},
      },
      now,
    );

    expect(summary).toEqual({
      sessions: 1,
      loginFailures: 1,
      invites: 0,
      accountTokens: 0,
      outbox: 0,
    });
    expect(await t.db.select().from(sessions).where(eq(sessions.id, live.session.id))).toHaveLength(
      1,
    );
    expect(
      await t.db.select().from(sessions).where(eq(sessions.id, expired.session.id)),
    ).toHaveLength(0);
    expect((await t.db.select().from(loginFailures)).map((f) => f.email)).toEqual([
      'new@example.test',
    ]);
  });
});
