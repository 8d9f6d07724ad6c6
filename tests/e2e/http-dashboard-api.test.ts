/**
 * The dashboard JSON APIs over real HTTP against the built server: each
 * answers the signed-in workspace's data, and only that.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  decodeNotesCursor,
  getHotList,
  getLeadsOverview,
  getPipelineOverview,
  listNotes,
  listUpcomingActivities,
} from '../../src/lib/dashboard';
import type { PublicTenant } from '../../src/lib/tenants/schemas';
import { makeMember, makeSession, makeTenant, makeUser } from '../factories';
import {
  makeActivities,
  makeLeads,
  makeNotes,
  makeOpportunities,
  makeSalesCycles,
  refreshAggregates,
} from '../factories/crm';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';

const t = useTestDatabase();
const server = useWebServer(() => t.url);
const HOUR = 3_600_000;
const APIS = ['leads', 'pipeline', 'hot-list', 'notes', 'schedule'].map(
  (p) => `/api/dashboard/${p}`,
);

/** A workspace whose every row carries `marker`, so a leak to another workspace is visible. */
async function workspace(marker: string) {
  const tenant = await makeTenant(t.db);
  await makeSalesCycles(t.db, tenant.id);
  await makeLeads(t.db, tenant.id, [
    { source: `${marker} source`, stage: 'Qualified' },
    {
      source: `${marker} source`,
      stage: 'New Lead',
      createdAt: new Date(Date.now() - 20 * 24 * HOUR),
    },
  ]);
  await makeOpportunities(t.db, tenant.id, [
    { candidate: `${marker} candidate`, stage: 'Signed', dealSize: 40_000 },
    { candidate: `${marker} second`, stage: 'Discovery Day', dealSize: 25_000, company: null },
  ]);
  await makeNotes(t.db, tenant.id, [
    { text: `${marker} discussed financing`, author: `${marker} rep` },
    { text: `${marker} left a voicemail` },
  ]);
  await makeActivities(t.db, tenant.id, [
    { startsAt: new Date(Date.now() + 2 * HOUR), title: `${marker} call` },
    { startsAt: new Date(Date.now() - 2 * HOUR), title: `${marker} past call` },
  ]);
  await refreshAggregates(t.db, tenant.id);
  return tenant;
}

async function signedInto(tenant: PublicTenant) {
  const { user } = await makeMember(t.db, { tenant });
  const { token } = await makeSession(t.db, user.id);
  const client = new HttpClient(server.url);
  client.cookies.set('sb_session', token);
  client.cookies.set('sb_tenant', tenant.id);
  return client;
}

async function getJson(client: HttpClient, path: string) {
  const response = await client.request(path);
  return { status: response.status, body: await response.json() };
}

let mine: PublicTenant;
let theirs: PublicTenant;
let client: HttpClient;
beforeAll(async () => {
  mine = await workspace('Mine');
  theirs = await workspace('Theirs');
  client = await signedInto(mine);
});

describe('dashboard APIs', () => {
  it("answer the signed-in workspace's figures, the same the verbs give", async () => {
    const id = mine.id;
    const firstNote = await listNotes(t.db, id, { limit: 1 });
    expect(firstNote.nextAfter).not.toBeNull();
    const cases: [string, unknown][] = [
      ['/api/dashboard/leads?range=7', await getLeadsOverview(t.db, id, '7')],
      ['/api/dashboard/leads', await getLeadsOverview(t.db, id, '30')],
      ['/api/dashboard/pipeline', await getPipelineOverview(t.db, id)],
      [
        '/api/dashboard/hot-list?sort=candidate&dir=asc&page=1&pageSize=1',
        await getHotList(t.db, id, { sort: 'candidate', dir: 'asc', page: 1, pageSize: 1 }),
      ],
      [
        '/api/dashboard/notes?search=financing&limit=5',
        await listNotes(t.db, id, { search: 'financing', limit: 5 }),
      ],
      [
        `/api/dashboard/notes?limit=1&after=${firstNote.nextAfter}`,
        await listNotes(t.db, id, {
          limit: 1,
          after: decodeNotesCursor(firstNote.nextAfter ?? '') ?? undefined,
        }),
      ],
      ['/api/dashboard/schedule?limit=10', await listUpcomingActivities(t.db, id, { limit: 10 })],
    ];
    for (const [path, data] of cases) {
      const { status, body } = await getJson(client, path);
      expect(status, path).toBe(200);
      expect(body, path).toEqual({ ok: true, data });
    }
    const leads = await getJson(client, '/api/dashboard/leads?range=all&utm_source=ignored');
    expect(leads.body.data).toMatchObject({ totalLeads: 2, qualifiedLeads: 1 });
    const schedule = await getJson(client, '/api/dashboard/schedule');
    expect(schedule.body.data.activities.map((a: { title: string }) => a.title)).toEqual([
      'Mine call',
    ]);
  });

  it("never answer with another workspace's rows", async () => {
    for (const path of [
      ...APIS,
      '/api/dashboard/leads?range=all',
      '/api/dashboard/notes?search=theirs',
    ]) {
      const response = await client.request(path);
      expect(response.status, path).toBe(200);
      expect(await response.text(), path).not.toContain('Theirs');
    }
  });

  it('refuse a workspace the user does not belong to (403)', async () => {
    const forged = await signedInto(mine);
    for (const path of APIS) {
      // Each refusal clears the cookie, so it is forged again for every request.
      forged.cookies.set('sb_tenant', theirs.id);
      const { status, body } = await getJson(forged, path);
      expect(status, path).toBe(403);
      expect(JSON.stringify(body)).not.toContain('Theirs');
    }
  });

  it('answer 401 without a session and 403 without a workspace', async () => {
    const anonymous = new HttpClient(server.url);
    const user = await makeUser(t.db);
    const { token } = await makeSession(t.db, user.id);
    const homeless = new HttpClient(server.url);
    homeless.cookies.set('sb_session', token);
    for (const path of APIS) {
      expect((await getJson(anonymous, path)).body, path).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
      expect((await anonymous.request(path)).status, path).toBe(401);
      expect((await homeless.request(path)).status, path).toBe(403);
    }
  });

  it('page notes by the opaque nextAfter, every note once; a deep offset is a 400 naming after', async () => {
    const seen: string[] = [];
    let path: string | null = '/api/dashboard/notes?limit=1';
    while (path) {
      const { status, body } = await getJson(client, path);
      expect(status, path).toBe(200);
      seen.push(...body.data.notes.map((n: { id: string }) => n.id));
      path = body.data.nextAfter
        ? `/api/dashboard/notes?limit=1&after=${body.data.nextAfter}`
        : null;
    }
    const all = await listNotes(t.db, mine.id, { limit: 100 });
    expect(seen).toEqual(all.notes.map((n) => n.id));
    const deep = await getJson(client, '/api/dashboard/notes?offset=400000');
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toMatch(/use|pass after/);
    expect((await getJson(client, '/api/dashboard/notes?offset=0')).status).toBe(200);
  });

  it.each([
    ['/api/dashboard/leads?range=14', 'range'],
    ['/api/dashboard/notes?limit=1000', 'limit'],
    ['/api/dashboard/notes?limit=-1', 'limit'],
    ['/api/dashboard/notes?offset=abc', 'offset'],
    ['/api/dashboard/notes?after=not-a-cursor', 'after'],
    ['/api/dashboard/schedule?limit=-1', 'limit'],
    ['/api/dashboard/schedule?limit=1000', 'limit'],
    ['/api/dashboard/hot-list?sort=nope', 'sort'],
    ['/api/dashboard/hot-list?page=0', 'page'],
    ['/api/dashboard/hot-list?pageSize=500', 'pageSize'],
  ])('answer 400 VALIDATION naming the parameter for %s', async (path, parameter) => {
    const { status, body } = await getJson(client, path);
    expect(status).toBe(400);
    expect(body).toMatchObject({ ok: false, error: { code: 'VALIDATION', retryable: false } });
    expect(body.error.message).toContain(parameter);
    expect(Object.keys(body.error.fields)).toEqual([parameter]);
  });
});
