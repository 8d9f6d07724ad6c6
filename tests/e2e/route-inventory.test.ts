/**
 * The route inventory (issue 10 item 3): every page and endpoint file under
 * src/pages, discovered from the file system, is probed over real HTTP on the
 * built server — anonymous, wrong role, another tenant's resource, garbage
 * ids, malformed bodies and queries. Nothing may answer 500, and a new route
 * file the inventory cannot map fails the test until it is described here.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { issueWebhookToken } from '../../src/lib/calls/webhook-token';
import { contactImports, invites } from '../../src/lib/db/schema';
import { withTenant } from '../../src/lib/db/tenant';
import { findRoute } from '../../src/lib/http/routes';
import { beatHeartbeat } from '../../src/lib/ops';
import { generateSecretsKey } from '../../src/lib/secrets/seal';
import { makeMember, makePlatformAdmin, makeSession, makeTenant, makeUser } from '../factories';
import { makeCaller, makeCampaign } from '../factories/campaigns';
import { makeContact } from '../factories/contacts';
import { useTestDatabase } from '../helpers/db';
import { HttpClient } from '../helpers/http-client';
import { useWebServer } from '../helpers/server';
import {
  discoverRoutes,
  GARBAGE_IDS,
  ID_QUERY,
  MALFORMED_QUERY,
  type ParamKind,
  type RouteFile,
  TOKEN_BODY,
  VALID_BODY,
} from './route-inventory.map';

const t = useTestDatabase();
const server = useWebServer(() => t.url, { SECRETS_KEY: generateSecretsKey() });

type Persona = 'anonymous' | 'owner' | 'member' | 'platformAdmin' | 'otherOwner';
const users = {} as Record<Exclude<Persona, 'anonymous'>, { id: string; tenantId?: string }>;
/** For each parameter kind: an id of tenant A (the prober's), one of tenant B, or none. */
const ids = {} as Record<ParamKind, { own: string; foreign?: string }>;

beforeAll(async () => {
  const a = await makeTenant(t.db, { name: 'Inventory A' });
  const b = await makeTenant(t.db, { name: 'Inventory B' });
  const spare = await makeTenant(t.db, { name: 'Inventory spare' });
  const owner = (await makeMember(t.db, { tenant: a, role: 'owner' })).user;
  const member = (await makeMember(t.db, { tenant: a, role: 'member' })).user;
  const otherOwner = (await makeMember(t.db, { tenant: b, role: 'owner' })).user;
  users.owner = { id: owner.id, tenantId: a.id };
  users.member = { id: member.id, tenantId: a.id };
  users.otherOwner = { id: otherOwner.id, tenantId: b.id };
  users.platformAdmin = { id: (await makePlatformAdmin(t.db)).id };

  const resources = async (tenantId: string) => {
    const caller = await makeCaller(t.db, { id: tenantId } as never, 2);
    const contact = await makeContact(t.db, tenantId);
    const campaign = await makeCampaign(t.db, tenantId, caller.id, {
      contacts: { ids: [(await makeContact(t.db, tenantId)).id as number] },
    });
    const [imported] = await withTenant(t.db, tenantId, (tx) =>
      tx
        .insert(contactImports)
        .values({ tenantId, fileName: 'a.csv', mode: 'skip', status: 'completed' })
        .returning(),
    );
    const [invite] = await t.db
      .insert(invites)
      .values({
        tokenHash: randomUUID(),
        targetTenantId: tenantId,
        email: `invitee-${randomUUID()}@example.test`,
        role: 'member',
        expiresAt: new Date(Date.now() + 86_400_000),
      })
      .returning();
    const teammate = (await makeMember(t.db, { tenant: { id: tenantId } as never })).user;
    return {
      campaign: campaign.id,
      contact: String(contact.id),
      import: imported?.id ?? '',
      invite: invite?.id ?? '',
      member: teammate.id,
      webhookToken: await issueWebhookToken(t.db, tenantId),
    };
  };
  const mine = await resources(a.id);
  const theirs = await resources(b.id);
  for (const kind of ['campaign', 'contact', 'import', 'invite', 'member'] as const)
    ids[kind] = { own: mine[kind], foreign: theirs[kind] };
  ids.webhookToken = { own: mine.webhookToken };
  // Platform-wide ids: a spare tenant and user, so deactivating them disturbs no prober.
  ids.tenant = { own: spare.id };
  ids.user = { own: (await makeUser(t.db)).id };
  ids.action = { own: 'pause' };
  ids.token = { own: 'a'.repeat(32) };
  // A live worker, as far as GET /api/ready can tell, so it answers 200 like any route.
  await beatHeartbeat(t.db, 'route-inventory:1', new Date());
});

async function clientFor(persona: Persona) {
  const client = new HttpClient(server.url);
  if (persona === 'anonymous') return client;
  // A fresh session per request: probes of logout and "sign out everywhere" end theirs.
  const user = users[persona];
  client.cookies.set('sb_session', (await makeSession(t.db, user.id)).token);
  if (user.tenantId) client.cookies.set('sb_tenant', user.tenantId);
  return client;
}

interface Probe {
  persona: Persona;
  method: string;
  url: string;
  json?: unknown;
  raw?: string;
  /** Sent as multipart/form-data (upload endpoints). */
  upload?: boolean;
}

interface Answer {
  status: number;
  location: string;
  result?: { ok: boolean; error?: { code: string } };
}

async function send(probe: Probe): Promise<Answer> {
  const client = await clientFor(probe.persona);
  const init: Parameters<HttpClient['request']>[1] = { method: probe.method };
  if (probe.upload) {
    const form = new FormData();
    form.append(
      'file',
      new Blob(['name,phone\nPat,+12025550100\n'], { type: 'text/csv' }),
      'a.csv',
    );
    init.body = form;
  } else if (probe.method === 'GET' || probe.method === 'DELETE') {
    // No body.
  } else if (probe.raw !== undefined) {
    init.body = probe.raw;
    init.headers = { 'content-type': 'application/json' };
  } else if (probe.json !== undefined) init.json = probe.json;
  else init.json = {};
  const response = await client.request(probe.url, init);
  const type = response.headers.get('content-type') ?? '';
  const answer: Answer = {
    status: response.status,
    location: response.headers.get('location') ?? '',
  };
  if (type.includes('application/json')) answer.result = await response.json();
  else await response.body?.cancel(); // event streams never end; pages and CSV aren't needed
  return answer;
}

/** Concrete URLs for a route file: every parameter filled with one kind of value. */
function urlsFor(route: RouteFile, which: 'own' | 'foreign' | 'garbage'): string[] {
  if (route.params.length === 0) return which === 'own' ? [route.pattern] : [];
  const out: string[] = [];
  // Vary one parameter at a time; the others keep a valid own value.
  for (const varied of route.params) {
    const values =
      which === 'garbage'
        ? GARBAGE_IDS
        : [ids[varied.kind][which]].filter((v): v is string => v !== undefined);
    for (const value of values) {
      let url = route.pattern;
      for (const p of route.params) {
        const v = p === varied ? value : ids[p.kind].own;
        url = url.replace(`[${p.name}]`, encodeURIComponent(v));
      }
      out.push(url);
    }
  }
  return out;
}

const routes = discoverRoutes();
const problems: string[] = [];
const check = (ok: boolean, probe: Probe, answer: Answer, expected: string) => {
  if (!ok)
    problems.push(
      `${probe.persona} ${probe.method} ${probe.url} → ${answer.status} ${answer.location} ${JSON.stringify(answer.result?.error ?? '')} (expected ${expected})`,
    );
};
const isResult = (a: Answer, code?: string) =>
  a.result !== undefined && a.result.ok === false && (!code || a.result.error?.code === code);

describe('the route inventory', () => {
  it('maps every page and endpoint file (a new route must be described here)', () => {
    expect(routes.unmapped).toEqual([]);
    expect(routes.files.length).toBeGreaterThanOrEqual(90);
  });

  it('refuses anonymous callers: 401 from APIs, a redirect to /login from pages', async () => {
    for (const route of routes.files) {
      if (route.access === 'public') continue;
      for (const method of route.methods) {
        for (const url of urlsFor(route, 'own')) {
          const probe = {
            persona: 'anonymous' as const,
            method,
            url,
            upload: route.body === 'upload',
          };
          const a = await send(probe);
          if (route.api) check(a.status === 401 && isResult(a, 'UNAUTHENTICATED'), probe, a, '401');
          else check(a.status === 302 && a.location.startsWith('/login'), probe, a, '302 /login');
        }
      }
    }
    expect(problems.splice(0)).toEqual([]);
  });

  it('refuses the wrong role with 403', async () => {
    for (const route of routes.files) {
      const persona: Persona | undefined =
        route.access === 'platform-admin'
          ? 'owner'
          : route.access === 'tenant' && route.minRole
            ? 'member'
            : undefined;
      if (!persona) continue;
      for (const method of route.methods) {
        for (const url of urlsFor(route, 'own')) {
          const probe = { persona, method, url };
          const a = await send(probe);
          check(a.status === 403 && (!route.api || isResult(a, 'FORBIDDEN')), probe, a, '403');
        }
      }
    }
    expect(problems.splice(0)).toEqual([]);
  });

  it("answers another tenant's resource with 404, as if it did not exist", async () => {
    for (const route of routes.files) {
      if (route.access !== 'tenant') continue;
      for (const method of route.methods) {
        for (const url of urlsFor(route, 'foreign')) {
          const probe = { persona: 'owner' as const, method, url, json: VALID_BODY[route.key] };
          const a = await send(probe);
          check(a.status === 404 && (!route.api || isResult(a, 'NOT_FOUND')), probe, a, '404');
        }
      }
    }
    expect(problems.splice(0)).toEqual([]);
  });

  it('answers garbage ids with 404 or 400, never 500', async () => {
    for (const route of routes.files) {
      const persona = route.access === 'platform-admin' ? 'platformAdmin' : 'owner';
      for (const method of route.methods) {
        for (const url of urlsFor(route, 'garbage')) {
          const probe = { persona, method, url, json: VALID_BODY[route.key] } as Probe;
          const a = await send(probe);
          const ok =
            route.access === 'public' && !route.api
              ? a.status < 500
              : [400, 401, 404].includes(a.status) && (!route.api || isResult(a));
          check(ok, probe, a, '400/404');
        }
      }
    }
    expect(problems.splice(0)).toEqual([]);
  });

  it('answers malformed JSON bodies and wrong shapes with a 400 VALIDATION Result', async () => {
    for (const route of routes.files) {
      if (route.body !== 'json') continue;
      const persona = route.access === 'platform-admin' ? 'platformAdmin' : 'owner';
      const [url] = urlsFor(route, 'own');
      if (!url) continue;
      for (const method of route.methods.filter((m) => m !== 'GET' && m !== 'DELETE')) {
        for (const body of [
          { raw: '{"unterminated' },
          { json: [1, 2] },
          { json: 'text' },
          { json: null },
        ]) {
          const probe = { persona, method, url, ...body } as Probe;
          const a = await send(probe);
          const refused = TOKEN_BODY.has(route.key)
            ? a.status === 404 && isResult(a, 'NOT_FOUND')
            : a.status === 400 && isResult(a, 'VALIDATION');
          check(refused, probe, a, '400 VALIDATION');
        }
      }
    }
    expect(problems.splice(0)).toEqual([]);
  });

  it('answers malformed query strings with a 400 VALIDATION Result (APIs) or a page (never 500)', async () => {
    for (const route of routes.files) {
      if (!route.methods.includes('GET')) continue;
      const persona = route.access === 'platform-admin' ? 'platformAdmin' : 'owner';
      for (const url of urlsFor(route, 'own')) {
        if (route.api && route.readsQuery) {
          for (const query of MALFORMED_QUERY[route.key] ?? []) {
            const probe = { persona, method: 'GET', url: `${url}?${query}` } as Probe;
            const a = await send(probe);
            const refused =
              (a.status === 400 && isResult(a, 'VALIDATION')) ||
              (ID_QUERY.has(route.key) && a.status === 404 && isResult(a, 'NOT_FOUND'));
            check(refused, probe, a, '400 VALIDATION');
          }
        }
        if (!route.api) {
          const junk =
            'page=-1&page=abc&limit=1e999&history=NaN&range=zzz&sort=%00&dir=up&tab=x&status=bogus&q=%27%22%3C&after=%7B&before=soon&actor=nobody&tenant=not-a-uuid&action=%00&from=yesterday&to=1e999&contacts=a,b';
          const probe = { persona, method: 'GET', url: `${url}?${junk}` } as Probe;
          const a = await send(probe);
          check(a.status < 500, probe, a, 'not 5xx');
        }
      }
    }
    expect(problems.splice(0)).toEqual([]);
  });

  it("answers the caller's own resources without a server error", async () => {
    for (const route of routes.files) {
      const persona = route.access === 'platform-admin' ? 'platformAdmin' : 'owner';
      for (const method of route.methods) {
        for (const url of urlsFor(route, 'own')) {
          const probe = { persona, method, url, json: VALID_BODY[route.key] } as Probe;
          const a = await send(probe);
          // Pages render, or redirect (/ and /login for a signed-in user); a made-up mailed
          // token and /404 itself render the not-found page.
          const notFoundPage =
            route.pattern === '/404' || route.params.some((p) => p.kind === 'token');
          const ok =
            method === 'GET' && !route.api
              ? a.status === 200 || a.status === 302 || (notFoundPage && a.status === 404)
              : a.status < 500;
          check(
            ok && (!route.api || a.status < 300 || isResult(a)),
            probe,
            a,
            method === 'GET' && !route.api ? '200' : '< 500 with a Result',
          );
        }
      }
    }
    expect(problems.splice(0)).toEqual([]);
  });

  it('left no server error in the log', () => {
    expect(server.logs()).not.toMatch(/"level":50/);
  });
});

describe('the registry', () => {
  it('has an explicit entry for every route file (no route is guarded by the fallback)', () => {
    const fallback = routes.files
      .filter(
        (r) =>
          r.pattern !== '/404' && findRoute(r.pattern.replace(/\[[^\]]+\]/g, 'x')).path === '*',
      )
      .map((r) => r.file);
    expect(fallback).toEqual([]);
  });
});
