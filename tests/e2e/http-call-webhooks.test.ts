/**
 * POST /api/webhooks/calls/:token over real HTTP against the built server
 * (checklist 11, 18, 19): the secret path token is the only credential, bad
 * requests change nothing, replays are answered 200 as duplicates, and a
 * provider posting from its own servers is not taken for a cross-site form.
 */
import { and, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { runDispatchCycle } from '../../src/lib/calls/dispatch/cycle';
import { issueWebhookToken } from '../../src/lib/calls/webhook-token';
import { getCampaign } from '../../src/lib/campaigns/get-campaign';
import { callEvents, callQueue } from '../../src/lib/db/schema';
import { withTenant } from '../../src/lib/db/tenant';
import { makeTenant } from '../factories';
import {
  idleCallSystem,
  makeCaller,
  makeCampaign,
  manualProvider,
  setSystemCallLimit,
  slotsInFlight,
} from '../factories/campaigns';
import { makeContacts, uniquePhone } from '../factories/contacts';
import { useTestDatabase } from '../helpers/db';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);
const NOON = new Date('2026-06-10T12:00:00Z');

function post(token: string, body: BodyInit, headers: Record<string, string> = {}) {
  return fetch(new URL(`/api/webhooks/calls/${token}`, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

const postJson = (token: string, json: unknown, headers: Record<string, string> = {}) =>
  post(token, JSON.stringify(json), headers);

/** Every stored event for an execution id, whatever the tenant (as the owner role, past RLS). */
async function eventsFor(executionId: string) {
  return t.db.execute<{ tenant_id: string; status: string }>(
    sql`select tenant_id, status from call_events where execution_id = ${executionId}`,
  );
}

async function tenantWithToken() {
  const tenant = await makeTenant(t.db);
  return { tenant, token: await issueWebhookToken(t.db, tenant.id) };
}

describe('POST /api/webhooks/calls/:token', () => {
  beforeEach(() => idleCallSystem(t.db));

  it('answers an unknown, malformed or revoked token with 401 and stores nothing', async () => {
    const { tenant, token } = await tenantWithToken();
    const body = { id: 'exec-nobody', status: 'completed' };
    const unknown = 'a'.repeat(32);
    for (const wrong of [unknown, 'short', token.toUpperCase(), `${token}a`, '..%2F..%2Fhealth']) {
      const response = await postJson(wrong, body);
      expect(response.status, wrong).toBe(401);
      expect(await response.json()).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
    }
    // A new token revokes the old one.
    const fresh = await issueWebhookToken(t.db, tenant.id);
    expect((await postJson(token, body)).status).toBe(401);
    expect(await eventsFor('exec-nobody')).toHaveLength(0);
    expect((await postJson(fresh, body)).status).toBe(200);
    expect(await eventsFor('exec-nobody')).toHaveLength(1);
  });

  it('stores an execution it does not know yet (200), and answers the replay 200 as a duplicate', async () => {
    const { tenant, token } = await tenantWithToken();
    const body = { id: 'exec-early-bird', status: 'ringing', agent_id: 'agent-1' };
    const first = await postJson(token, body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, data: { duplicate: false, applied: 'stored' } });
    const replay = await postJson(token, body);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({
      ok: true,
      data: { duplicate: true, applied: 'ignored' },
    });
    const stored = await withTenant(t.db, tenant.id, (tx) =>
      tx.select().from(callEvents).where(eq(callEvents.executionId, 'exec-early-bird')),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ provider: 'bolna', status: 'ringing', raw: body });
  });

  it('refuses a body that is not JSON (400), not an execution (400) or too large (413), storing nothing', async () => {
    const { token } = await tenantWithToken();
    const notJson = await post(token, '{"id": "exec-broken", "status": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const noStatus = await postJson(token, { id: 'exec-broken' });
    expect(noStatus.status).toBe(400);

    const padding = 'x'.repeat(256 * 1024);
    const large = await postJson(token, { id: 'exec-broken', status: 'completed', padding });
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });

    // The same without a Content-Length (chunked): still refused.
    const bytes = new TextEncoder().encode(
      JSON.stringify({ id: 'exec-broken', status: 'completed', padding }),
    );
    const chunked = await fetch(new URL(`/api/webhooks/calls/${token}`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 16_384)
            controller.enqueue(bytes.slice(i, i + 16_384));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expect(chunked.status).toBe(413);
    expect(await eventsFor('exec-broken')).toHaveLength(0);
  });

  it('is not refused as cross-site: providers post from their own servers', async () => {
    const { token } = await tenantWithToken();
    const response = await postJson(
      token,
      { id: 'exec-cross', status: 'initiated' },
      { 'sec-fetch-site': 'cross-site', origin: 'https://api.bolna.ai' },
    );
    expect(response.status).toBe(200);
    expect(await eventsFor('exec-cross')).toHaveLength(1);
  });

  it('completes a dialled call: the row is completed and its slot freed', async () => {
    await setSystemCallLimit(t.db, 10);
    const { tenant, token } = await tenantWithToken();
    const user = await makeCaller(t.db, tenant, 2);
    const people = await makeContacts(t.db, tenant.id, [
      { name: 'Ada', phoneE164: uniquePhone() },
      { name: 'Bo', phoneE164: uniquePhone() },
    ]);
    const campaign = await makeCampaign(
      t.db,
      tenant.id,
      user.id,
      { contacts: { ids: people.map((p) => p.id) } },
      NOON,
    );
    const provider = manualProvider();
    await runDispatchCycle({
      db: t.db,
      sql: t.sql,
      providerFor: provider.providerFor,
      now: () => NOON,
    });
    expect((await slotsInFlight(t.db))[user.id]).toBe(2);
    const [first] = provider.dialled;
    const executionId = first?.executionId ?? '';

    const ringing = await postJson(token, { id: executionId, status: 'ringing' });
    expect(await ringing.json()).toEqual({
      ok: true,
      data: { duplicate: false, applied: 'progress' },
    });
    const done = await postJson(token, {
      id: executionId,
      status: 'completed',
      conversation_duration: 61,
      telephony_data: { duration: 65, to_number: first?.to },
    });
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({
      ok: true,
      data: { duplicate: false, applied: 'finished' },
    });

    const [row] = await withTenant(t.db, tenant.id, (tx) =>
      tx
        .select()
        .from(callQueue)
        .where(and(eq(callQueue.tenantId, tenant.id), eq(callQueue.providerCallId, executionId))),
    );
    expect(row).toMatchObject({ status: 'completed', outcome: 'completed', durationSeconds: 61 });
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
    const view = await getCampaign(t.db, tenant.id, campaign.id);
    expect(view).toMatchObject({ ok: true, data: { counts: { completed: 1, active: 1 } } });

    // Another tenant's token cannot reach it.
    const { token: foreign } = await tenantWithToken();
    const other = provider.dialled[1]?.executionId ?? '';
    const intrusion = await postJson(foreign, { id: other, status: 'completed' });
    expect(await intrusion.json()).toEqual({
      ok: true,
      data: { duplicate: false, applied: 'stored' },
    });
    expect((await slotsInFlight(t.db))[user.id]).toBe(1);
  });
});
