/**
 * Checklist 28 over the logs of a run that uses every secret: canary session
 * tokens, ClientTether keys, a Bolna key and a webhook path token pass through
 * the built web server and a real worker process (whose hourly sync calls a
 * recording ClientTether stand-in with them); none appears in either log.
 * The worker's heartbeat row is written while it runs and removed on SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueWebhookToken } from '../../src/lib/calls/webhook-token';
import { generateSecretsKey } from '../../src/lib/secrets/seal';
import { makeMember, makePlatformAdmin, makeSession } from '../factories';
import { canary, leaksOf } from '../helpers/canaries';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { startWebServer, type WebServer } from '../helpers/server';
import { startWorkerProcess } from '../helpers/worker-process';

const SECRETS_KEY = generateSecretsKey();
const CANARIES = {
  webKey: canary('WEBKEY'),
  accessToken: canary('CTTOKEN'),
  rotatedWebKey: canary('ROTATED'),
  bolnaKey: canary('BOLNA'),
  envCtToken: canary('ENVCT'),
  envBolnaKey: canary('ENVBOLNA'),
};

const t = useTestDatabase();
/** Every request the ClientTether stand-in received, as text (headers and URL). */
const seen: string[] = [];
let ct: Server;
let ctUrl: string;
let web: WebServer;
const secrets: string[] = Object.values(CANARIES);

beforeAll(async () => {
  // Refuses every credential, like ClientTether with a wrong key: not retried, so the run is quick.
  ct = createServer((req, res) => {
    seen.push(`${req.url} ${JSON.stringify(req.headers)}`);
    res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
  });
  await new Promise<void>((done) => ct.listen(0, '127.0.0.1', done));
  ctUrl = `http://127.0.0.1:${(ct.address() as AddressInfo).port}/v2/api/`;
  web = await startWebServer(t.url, {
    SECRETS_KEY,
    CLIENTTETHER_API_URL: ctUrl,
    CLIENTTETHER_ACCESS_TOKEN: CANARIES.envCtToken,
    BOLNA_API_KEY: CANARIES.envBolnaKey,
  });
});

afterAll(async () => {
  await web?.stop();
  await new Promise((done) => ct?.close(done));
});

async function browser(userId: string, tenantId?: string) {
  const client = new HttpClient(web.url);
  const { token } = await makeSession(t.db, userId);
  secrets.push(token);
  client.cookies.set('sb_session', token);
  if (tenantId) client.cookies.set('sb_tenant', tenantId);
  return client;
}

function startWorker() {
  return startWorkerProcess(t.url, {
    SECRETS_KEY,
    CLIENTTETHER_API_URL: ctUrl,
    CLIENTTETHER_ACCESS_TOKEN: CANARIES.envCtToken,
    BOLNA_API_KEY: CANARIES.envBolnaKey,
    BOLNA_API_URL: ctUrl,
  });
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const heartbeatRows = async () =>
  (
    await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from system_settings where key like 'worker_heartbeat:%'`,
    )
  )[0]?.n ?? 0;

describe('secrets in logs (checklist 28)', () => {
  it('never prints a canary secret in the web or worker log of a run that uses them all', async () => {
    const admin = await browser((await makePlatformAdmin(t.db)).id);
    const created = await admin.request('/api/admin/tenants', {
      json: {
        name: 'Canary Logs',
        slug: `canary-logs-${randomBytes(3).toString('hex')}`,
        callProvider: 'bolna',
        clienttetherWebKey: CANARIES.webKey,
        clienttetherAccessToken: CANARIES.accessToken,
        bolnaApiKey: CANARIES.bolnaKey,
      },
    });
    expect(created.status).toBe(201);
    const tenantId = (await created.json()).data.id as string;
    const { user } = await makeMember(t.db, { tenant: { id: tenantId } as never, role: 'owner' });
    const owner = await browser(user.id, tenantId);

    // The web process uses the keys: a connection test, a rotation, pages, a webhook.
    const test = await owner.request('/api/settings/clienttether/test', { json: {} });
    expect(test.status).toBe(412);
    await until('the connection test reached ClientTether', () =>
      seen.some((s) => s.includes(CANARIES.webKey)),
    );
    expect(
      (
        await owner.request('/api/settings/clienttether', {
          json: { webKey: CANARIES.rotatedWebKey },
        })
      ).status,
    ).toBe(200);
    for (const path of ['/dashboard', '/settings', '/api/me', '/api/sync/status'])
      expect((await owner.request(path)).status).toBe(200);
    const webhookToken = await issueWebhookToken(t.db, tenantId);
    secrets.push(webhookToken);
    const hook = await fetch(new URL(`/api/webhooks/calls/${webhookToken}`, web.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'exec-unknown', status: 'completed' }),
    });
    expect(hook.status).toBeLessThan(500);

    // The worker uses them: its start-up sync calls ClientTether with the rotated key.
    const worker = startWorker();
    let stopped: Promise<number | null> | undefined;
    try {
      await until('the worker sync reached ClientTether with the tenant key', () =>
        seen.some((s) => s.includes(CANARIES.rotatedWebKey)),
      );
      await until('the worker heartbeat', async () => (await heartbeatRows()) === 1);
      await until('the sync to finish', () => worker.output().includes('clienttether-sync'));
    } finally {
      stopped = worker.stop('SIGTERM');
    }
    expect(await stopped).toBe(0);
    expect(await heartbeatRows()).toBe(0);

    const webLog = web.logs();
    const workerLog = worker.output();
    // The run was logged (so the sweep below looks at something) ...
    expect(webLog).toContain('"path":"/api/webhooks/calls/:token"');
    expect(webLog).toContain('"path":"/api/settings/clienttether"');
    expect(workerLog).toContain('"name":"worker"');
    // ... and no secret is in it.
    expect(
      leaksOf({ secret: secrets }, [
        ['web log', webLog],
        ['worker log', workerLog],
      ]),
    ).toEqual([]);
  });
});
