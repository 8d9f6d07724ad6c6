/**
 * Operations over real HTTP against the built server (issue 10 item 5):
 * liveness, readiness (database, migrations, worker heartbeat), request ids,
 * and one JSON log line per request that names no secret.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { beatHeartbeat, checkReadiness, heartbeatKey } from '../../src/lib/ops';
import { useAppRoleDatabase } from '../helpers/app-role';
import { useTestDatabase } from '../helpers/db';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);
const appRole = useAppRoleDatabase(t);

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(new URL(path, server.url), { headers });

async function readiness() {
  const response = await get('/api/ready');
  return { status: response.status, body: await response.json() };
}

/** JSON log lines the server printed (other output, e.g. Astro's banner, is skipped). */
function logLines(): Record<string, unknown>[] {
  return server
    .logs()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

describe('GET /api/health', () => {
  it('answers 200 without signing in, and carries a request id', async () => {
    const response = await get('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, data: { status: 'ok' } });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GET /api/ready', () => {
  it('is 503 naming the worker check while no worker has beaten, then 200 once one has', async () => {
    await t.db.execute(sql`delete from system_settings where key like 'worker_heartbeat:%'`);
    const before = await readiness();
    expect(before.status).toBe(503);
    expect(before.body.ok).toBe(false);
    expect(before.body.error.message).toBe('Not ready: worker');
    expect(before.body.data.checks.database.ok).toBe(true);
    expect(before.body.data.checks.migrations.ok).toBe(true);

    await beatHeartbeat(t.db, 'test-host:1', new Date());
    const after = await readiness();
    expect(after.status).toBe(200);
    expect(after.body.data.checks.worker).toEqual({
      ok: true,
      detail: expect.stringMatching(/^1 fresh; last beat \d+ s ago$/),
    });
  });

  it('counts a heartbeat older than two minutes as no worker', async () => {
    await beatHeartbeat(t.db, 'test-host:2', new Date());
    await t.db.execute(sql`
      update system_settings set updated_at = now() - interval '121 seconds'
      where key like 'worker_heartbeat:%'`);
    const stale = await readiness();
    expect(stale.status).toBe(503);
    expect(stale.body.data.checks.worker.ok).toBe(false);
    await t.db.execute(sql`delete from system_settings where key like 'worker_heartbeat:%'`);
  });

  it('is 503 naming the migration the database lacks', async () => {
    await beatHeartbeat(t.db, 'test-host:3', new Date());
    const [last] = await t.db.execute<{ id: number; created_at: string }>(
      sql`select id, created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    );
    if (!last) throw new Error('template has no migrations');
    await t.db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${last.id}`);
    try {
      const response = await readiness();
      expect(response.status).toBe(503);
      expect(response.body.error.message).toBe('Not ready: migrations');
      expect(response.body.data.checks.migrations.detail).toMatch(/^missing \d{4}_\w+$/);
    } finally {
      await t.db.execute(
        sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last.id}, 'restored', ${last.created_at}::bigint)`,
      );
    }
    expect((await readiness()).status).toBe(200);
  });

  it('says nothing about where the database is or who connects', async () => {
    const text = await (await get('/api/ready')).text();
    const url = new URL(t.url);
    for (const secret of [t.url, url.host, `${url.username}@`, 'postgres://'])
      expect(text).not.toContain(secret);
  });

  it('works for the restricted app role production logs in as (decision 001)', async () => {
    await beatHeartbeat(t.db, 'test-host:4', new Date());
    const result = await checkReadiness(appRole.db);
    expect(result.checks.migrations.ok).toBe(true);
    expect(result).toMatchObject({ ready: true });
    await t.db.execute(sql`delete from system_settings where key = ${heartbeatKey('test-host:4')}`);
  });
});

describe('request ids and request logs', () => {
  it('echoes a sane incoming x-request-id and logs it with the request', async () => {
    const id = `probe-${Date.now()}-abc`;
    const response = await get('/api/health?token=should-not-be-logged', { 'x-request-id': id });
    expect(response.headers.get('x-request-id')).toBe(id);
    const line = logLines().find((l) => l.requestId === id);
    expect(line).toMatchObject({
      name: 'web',
      level: 30,
      msg: 'request',
      method: 'GET',
      path: '/api/health',
      status: 200,
    });
    expect(typeof line?.durationMs).toBe('number');
    expect(server.logs()).not.toContain('should-not-be-logged');
  });

  it('replaces an incoming id that is too long or not plain with a fresh one', async () => {
    for (const bad of ['x'.repeat(65), 'has space in it', 'a"}{"level":60']) {
      const response = await get('/api/health', { 'x-request-id': bad });
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('logs refused requests too, with their status and no user', async () => {
    const id = `refused-${Date.now()}`;
    const response = await get('/api/me', { 'x-request-id': id });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe(id);
    expect(logLines().find((l) => l.requestId === id)).toMatchObject({
      path: '/api/me',
      status: 401,
    });
  });
});
