/**
 * The campaign API over real HTTP against the built server: created with its
 * queue, listed, steered (pause/resume/cancel/duplicate), deleted by admins,
 * rate-limited per user, and invisible to other workspaces.
 */
import { describe, expect, it } from 'vitest';
import type { CampaignView } from '../../src/lib/campaigns/campaign-view';
import type { MembershipRole } from '../../src/lib/db/schema';
import { makeMember, makeSession, makeUser } from '../factories';
import { ALL_DAY } from '../factories/campaigns';
import { makeContacts } from '../factories/contacts';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);
let phones = 0;

async function signedIn(role: MembershipRole = 'member') {
  const { tenant, user } = await makeMember(t.db, { role });
  const client = new HttpClient(server.url);
  const { token } = await makeSession(t.db, user.id);
  client.cookies.set('sb_session', token);
  client.cookies.set('sb_tenant', tenant.id);
  const contacts = await makeContacts(
    t.db,
    tenant.id,
    Array.from({ length: 3 }, (_, i) => ({
      name: `Person ${i}`,
      phoneE164: `+1303${String(5_550_000 + phones++)}`,
    })),
  );
  return { client, tenant, user, contactIds: contacts.map((c) => c.id) };
}

const settings = (contactIds: number[]) => ({
  name: 'Winter promo',
  agentId: 'agent-42',
  window: ALL_DAY,
  timezone: 'America/Denver',
  contacts: { ids: contactIds },
  start: false,
});

async function create(client: HttpClient, body: unknown) {
  const response = await client.request('/api/campaigns', { json: body });
  return {
    response,
    body: (await response.json()) as {
      ok: boolean;
      data: CampaignView;
      error?: { code: string; fields?: Record<string, string> };
    },
  };
}

describe('campaign API', () => {
  it('creates a draft with its queue (201), lists it, and shows it', async () => {
    const { client, contactIds } = await signedIn();
    const { response, body } = await create(client, settings(contactIds));
    expect(response.status).toBe(201);
    expect(body.data).toMatchObject({
      status: 'draft',
      counts: { total: 3, queued: 3, skipped: 0 },
    });
    const list = (await (await client.request('/api/campaigns')).json()) as {
      data: { items: CampaignView[] };
    };
    expect(list.data.items.map((c) => c.id)).toEqual([body.data.id]);
    const one = await client.request(`/api/campaigns/${body.data.id}`);
    expect(one.status).toBe(200);
    const analytics = await client.request(`/api/campaigns/${body.data.id}/analytics`);
    expect(
      ((await analytics.json()) as { data: { byStatus: Record<string, number> } }).data.byStatus,
    ).toEqual({ queued: 3 });
  });

  it('lists a campaign’s calls page by page, and the workspace’s queue statistics', async () => {
    const { client, contactIds } = await signedIn();
    const { body } = await create(client, settings(contactIds));
    const page = async (query: string) =>
      (await (await client.request(`/api/campaigns/${body.data.id}/queue${query}`)).json()) as {
        data: {
          items: { id: number; status: string; contactName: string }[];
          nextAfter: number | null;
        };
      };
    const first = await page('?limit=2');
    expect(first.data.items).toHaveLength(2);
    const rest = await page(`?limit=2&after=${first.data.nextAfter}`);
    expect(rest.data.items).toHaveLength(1);
    expect(rest.data.nextAfter).toBeNull();
    expect([...first.data.items, ...rest.data.items].map((r) => r.contactName).sort()).toEqual([
      'Person 0',
      'Person 1',
      'Person 2',
    ]);
    expect(
      (await client.request(`/api/campaigns/${body.data.id}/queue?status=ringing`)).status,
    ).toBe(400);
    await client.request(`/api/campaigns/${body.data.id}/start`, { json: {} });
    const stats = (await (await client.request('/api/queue/statistics')).json()) as {
      data: { byStatus: Record<string, number>; dueNow: number };
    };
    expect(stats.data.byStatus).toEqual({ queued: 3 });
    expect(stats.data.dueNow).toBe(3);
  });

  it('creates a campaign from an uploaded CSV (201), and refuses bad settings before storing the file', async () => {
    const { client } = await signedIn();
    const upload = (campaign: unknown) => {
      const form = new FormData();
      form.append('campaign', JSON.stringify(campaign));
      form.append('file', new Blob(['name,phone\nAda,+14155550177\nBad,12\n']), 'call-list.csv');
      return client.request('/api/campaigns/upload-csv', { method: 'POST', body: form });
    };
    const bad = await upload({
      name: 'x',
      agentId: 'a',
      window: ALL_DAY,
      timezone: 'Nowhere/Land',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /timezone/,
    );
    const history = (await (await client.request('/api/contacts/imports')).json()) as {
      data: { imports: unknown[] };
    };
    expect(history.data.imports).toEqual([]);

    const good = await upload({
      name: 'CSV campaign',
      agentId: 'a',
      window: ALL_DAY,
      timezone: 'UTC',
      start: false,
    });
    expect(good.status).toBe(201);
    const body = (await good.json()) as {
      data: { campaign: CampaignView; import: { inserted: number; invalid: number } };
    };
    expect(body.data.import).toMatchObject({ inserted: 1, invalid: 1 });
    expect(body.data.campaign.counts).toMatchObject({ total: 1, queued: 1 });
  });

  it('changes a draft, refuses to change a running campaign (409) or take unknown fields (400)', async () => {
    const { client, contactIds } = await signedIn();
    const { body } = await create(client, settings(contactIds));
    const patch = (json: unknown) =>
      client.request(`/api/campaigns/${body.data.id}`, { method: 'PATCH', json });
    const renamed = await patch({
      name: 'Renamed',
      window: { days: [1], startMinute: 600, endMinute: 660 },
    });
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { data: CampaignView }).data).toMatchObject({
      name: 'Renamed',
      window: { days: [1], startMinute: 600, endMinute: 660 },
    });
    expect((await patch({ status: 'completed' })).status).toBe(400);
    expect((await patch({ maxAttempts: 99 })).status).toBe(400);
    await client.request(`/api/campaigns/${body.data.id}/start`, { json: {} });
    expect((await patch({ name: 'Too late' })).status).toBe(409);
  });

  it('calls selected contacts (bulk-call) and tells where each contact stands in the queue', async () => {
    const { client, contactIds } = await signedIn();
    const { contacts: _ignored, ...rest } = settings(contactIds);
    expect((await client.request('/api/campaigns/bulk-call', { json: rest })).status).toBe(400);
    const created = await client.request('/api/campaigns/bulk-call', {
      json: { ...rest, start: true, contactIds },
    });
    expect(created.status).toBe(201);
    const positions = await Promise.all(
      contactIds.map(async (id) => {
        const answer = (await (
          await client.request(`/api/queue/position?contactId=${id}`)
        ).json()) as {
          data: { position: number; estimatedWaitSeconds: number }[];
        };
        return answer.data[0];
      }),
    );
    expect(positions.map((p) => p?.position)).toEqual([1, 2, 3]);
    // Two slots: the third waits for one call (90 s without history).
    expect(positions.map((p) => p?.estimatedWaitSeconds)).toEqual([0, 0, 90]);
    expect((await client.request('/api/queue/position?contactId=999999999')).status).toBe(404);
  });

  it('answers 400 naming the bad fields', async () => {
    const { client } = await signedIn();
    const { response, body } = await create(client, {
      name: '',
      window: { days: [], startMinute: 5, endMinute: 5 },
      timezone: 'Mars/Base',
      contacts: { ids: [] },
    });
    expect(response.status).toBe(400);
    expect(Object.keys(body.error?.fields ?? {})).toEqual(
      expect.arrayContaining(['name', 'agentId', 'timezone']),
    );
  });

  it('starts, pauses, resumes, duplicates and cancels', async () => {
    const { client, contactIds } = await signedIn();
    const { body } = await create(client, settings(contactIds));
    const act = async (action: string) => {
      const response = await client.request(`/api/campaigns/${body.data.id}/${action}`, {
        json: {},
      });
      return {
        status: response.status,
        body: (await response.json()) as { data: CampaignView; error?: { code: string } },
      };
    };
    expect((await act('start')).body.data.status).toBe('running');
    expect((await act('pause')).body.data.status).toBe('paused');
    expect((await act('pause')).status).toBe(409);
    expect((await act('resume')).body.data.status).toBe('running');
    const copy = await act('duplicate');
    expect(copy.status).toBe(201);
    expect(copy.body.data).toMatchObject({ status: 'draft', counts: { total: 3 } });
    const cancelled = await act('cancel');
    expect(cancelled.body.data).toMatchObject({
      status: 'cancelled',
      counts: { queued: 0, cancelled: 3 },
    });
    expect((await act('explode')).status).toBe(404);
  });

  it('lets admins delete a stopped campaign, not members', async () => {
    const member = await signedIn('member');
    const { body } = await create(member.client, settings(member.contactIds));
    expect(
      (await member.client.request(`/api/campaigns/${body.data.id}`, { method: 'DELETE' })).status,
    ).toBe(403);
    const admin = await signedIn('admin');
    const own = await create(admin.client, settings(admin.contactIds));
    expect(
      (await admin.client.request(`/api/campaigns/${own.body.data.id}`, { method: 'DELETE' }))
        .status,
    ).toBe(200);
    expect((await admin.client.request(`/api/campaigns/${own.body.data.id}`)).status).toBe(404);
  });

  it("never shows or steers another workspace's campaign", async () => {
    const mine = await signedIn();
    const theirs = await signedIn();
    const { body } = await create(theirs.client, settings(theirs.contactIds));
    const id = body.data.id;
    expect((await mine.client.request(`/api/campaigns/${id}`)).status).toBe(404);
    expect((await mine.client.request(`/api/campaigns/${id}/analytics`)).status).toBe(404);
    expect((await mine.client.request(`/api/campaigns/${id}/queue`)).status).toBe(404);
    for (const action of ['start', 'pause', 'resume', 'cancel', 'duplicate']) {
      expect(
        (await mine.client.request(`/api/campaigns/${id}/${action}`, { json: {} })).status,
      ).toBe(404);
    }
    const list = (await (await mine.client.request('/api/campaigns')).json()) as {
      data: { items: unknown[] };
    };
    expect(list.data.items).toEqual([]);
    // Their contacts can't be put in my campaign either.
    const { response } = await create(mine.client, settings(theirs.contactIds));
    expect(response.status).toBe(400);
  });

  it('allows 10 campaigns a minute per user; the 11th gets 429 with Retry-After', async () => {
    const { client, contactIds } = await signedIn();
    const answers = await Promise.all(
      Array.from({ length: 11 }, () =>
        client.request('/api/campaigns', { json: settings(contactIds) }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    const limited = answers.find((a) => a.status === 429);
    if (!limited) throw new Error('no request was limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
  });

  it('shows limits to users and lets only platform admins change them', async () => {
    const { client, user } = await signedIn('owner');
    const mine = (await (await client.request('/api/settings/concurrency')).json()) as {
      data: { user: { limit: number; inFlight: number }; system: { limit: number } };
    };
    expect(mine.data.user).toEqual({ limit: 2, inFlight: 0 });
    const path = `/api/admin/users/${user.id}/concurrency`;
    expect((await client.request(path, { method: 'PATCH', json: { limit: 5 } })).status).toBe(403);

    const admin = await makeUser(t.db, { isPlatformAdmin: true });
    const adminClient = new HttpClient(server.url);
    adminClient.cookies.set('sb_session', (await makeSession(t.db, admin.id)).token);
    expect(
      (await adminClient.request(path, { method: 'PATCH', json: { limit: 'lots' } })).status,
    ).toBe(400);
    expect((await adminClient.request(path, { method: 'PATCH', json: { limit: 5 } })).status).toBe(
      200,
    );
    const system = await adminClient.request('/api/admin/system/concurrency', {
      method: 'PATCH',
      json: { limit: 50 },
    });
    expect(system.status).toBe(200);
    const after = (await (await client.request('/api/settings/concurrency')).json()) as typeof mine;
    expect(after.data.user.limit).toBe(5);
    expect(after.data.system.limit).toBe(50);
  });

  it('needs a session', async () => {
    expect((await new HttpClient(server.url).request('/api/campaigns')).status).toBe(401);
  });
});
