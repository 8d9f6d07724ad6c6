/**
 * What the system tests share: campaigns in two workspaces dialling through
 * the fake Bolna (tests/helpers/fake-bolna.ts), a patient wait, and the
 * browsers whose every fetched body the canary sweep reads.
 */
import type postgres from 'postgres';
import { afterAll, expect } from 'vitest';
import { issueWebhookToken } from '../../src/lib/calls/webhook-token';
import type { CreateCampaignInput } from '../../src/lib/campaigns/schemas';
import type { Database } from '../../src/lib/db/client';
import { makeTenant } from '../factories';
import {
  idleCallSystem,
  makeCaller,
  makeCampaign,
  setSystemCallLimit,
} from '../factories/campaigns';
import { makeContacts, uniquePhone } from '../factories/contacts';
import type { FakeBolna } from '../helpers/fake-bolna';
import { HttpClient } from '../helpers/http-client';
import type { WebServer } from '../helpers/server';
import type { EventStream } from '../helpers/sse-client';
import type { WorkerProcess } from '../helpers/worker-process';

/** The processes a system test starts, all stopped (workers killed) after the file. */
export function useProcesses() {
  const run = {
    webs: [] as WebServer[],
    workers: [] as WorkerProcess[],
    streams: [] as EventStream[],
    bolna: undefined as FakeBolna | undefined,
    /** Anything else to stop after the file (simulators). */
    stoppers: [] as (() => Promise<unknown>)[],
  };
  afterAll(async () => {
    for (const s of run.streams) s.close();
    await Promise.all(run.workers.map((w) => w.stop('SIGKILL')));
    await Promise.all(run.webs.map((w) => w.stop()));
    await run.bolna?.close();
    for (const stop of run.stoppers) await stop();
  });
  return run;
}

export async function until<T>(what: string, probe: () => Promise<T | null | false>, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The queue row a dial's reference (tenant:row:attempt, dial.ts callRefOf) belongs to. */
export const rowOf = (ref: string) => ref.split(':').slice(0, 2).join(':');

export interface ScenarioSpec {
  systemLimit: number;
  /** One campaign per caller: its workspace ('a' or 'b') and its call limit. */
  callers: { workspace: 'a' | 'b'; limit: number }[];
  callsPerCampaign: number;
  campaign?: Partial<CreateCampaignInput>;
}

/**
 * Two workspaces (agents 'agent-a' and 'agent-b', each with a webhook token),
 * a caller per entry with a running Bolna campaign of its own contacts.
 */
export async function seedCallScenario(db: Database, sql: postgres.Sql, spec: ScenarioSpec) {
  await idleCallSystem(db);
  await setSystemCallLimit(db, spec.systemLimit);
  const tenants = { a: await makeTenant(db), b: await makeTenant(db) };
  const tokens = new Map([
    ['agent-a', await issueWebhookToken(db, tenants.a.id)],
    ['agent-b', await issueWebhookToken(db, tenants.b.id)],
  ]);
  const campaigns = [];
  for (const [i, caller] of spec.callers.entries()) {
    const tenant = tenants[caller.workspace];
    const agent = `agent-${caller.workspace}`;
    const user = await makeCaller(db, tenant, caller.limit);
    const people = await makeContacts(
      db,
      tenant.id,
      Array.from({ length: spec.callsPerCampaign }, (_, n) => ({
        name: `Caller ${i} contact ${n}`,
        phoneE164: uniquePhone(),
      })),
    );
    const campaign = await makeCampaign(db, tenant.id, user.id, {
      contacts: { ids: people.map((p) => p.id) },
      provider: 'bolna',
      agentId: agent,
      useContactTimezone: false,
      ...spec.campaign,
    });
    campaigns.push({ tenant, agent, user, limit: caller.limit, campaign });
  }
  const rows = await sql<{ tenant_id: string; id: string; user_id: string }[]>`
    select tenant_id, id, user_id from call_queue`;
  const userOfRow = new Map(rows.map((r) => [`${r.tenant_id}:${r.id}`, r.user_id]));
  return {
    tenants,
    tokens,
    campaigns,
    total: spec.callsPerCampaign * spec.callers.length,
    /** For the fake's per-user high-water marks. */
    userOfRef: (ref: string) => userOfRow.get(rowOf(ref)) ?? 'unknown',
    webhookUrls: (baseUrls: () => string[]) => (agent: string) =>
      baseUrls().map((url) => `${url}/api/webhooks/calls/${tokens.get(agent)}`),
  };
}

/** Every campaign's counters equal its rows, and nothing is left open. */
export async function booksOf(sql: postgres.Sql) {
  return sql<{ open: number; agree: boolean }[]>`
    select k.queued_calls + k.active_calls as open,
           (k.completed_calls, k.failed_calls, k.cancelled_calls, k.skipped_calls) =
           (select count(*) filter (where q.status = 'completed'),
                   count(*) filter (where q.status = 'failed'),
                   count(*) filter (where q.status = 'cancelled'),
                   count(*) filter (where q.status = 'skipped')
            from call_queue q where q.tenant_id = k.tenant_id and q.campaign_id = k.id) as agree
    from call_campaigns k`;
}

/** Rows not yet in a final state. */
export async function openRows(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ open: number }[]>`
    select count(*)::int as open from call_queue
    where status in ('queued', 'dispatching', 'in_progress')`;
  return row?.open ?? -1;
}

/** A campaign's completion, as a stream frame shows it (campaign.progress or campaign.status). */
export function showsCompleted(frames: { data: unknown }[], campaignId: string): boolean {
  return frames.some((f) => {
    const data = f.data as { campaignId?: string; id?: string; status?: string };
    return (data.campaignId ?? data.id) === campaignId && data.status === 'completed';
  });
}

/** Every body a system test fetched, named by request and status: what the canary sweep reads. */
export class Captured {
  readonly texts: [place: string, text: string][] = [];
  /** The session tokens its sign-ins were given: secrets outside their Set-Cookie header. */
  readonly sessionTokens: string[] = [];

  /** Signs in through the JSON API and keeps the session (and the workspace, if given). */
  async signIn(baseUrl: string, email: string, password: string, tenantId?: string) {
    const client = new HttpClient(baseUrl);
    const { status } = await this.request(client, '/api/auth/login', { json: { email, password } });
    expect(status).toBe(200);
    const token = client.cookies.get('sb_session');
    if (!token) throw new Error('signed in without a session cookie');
    this.sessionTokens.push(token);
    if (tenantId) client.cookies.set('sb_tenant', tenantId);
    return client;
  }

  async request(
    client: HttpClient,
    path: string,
    init?: Parameters<HttpClient['request']>[1],
  ): Promise<{ status: number; text: string }> {
    const response = await client.request(path, init);
    const text = await response.text();
    const method = init?.method ?? (init?.json !== undefined || init?.form ? 'POST' : 'GET');
    this.texts.push([`${method} ${client.baseUrl}${path} (${response.status})`, text]);
    return { status: response.status, text };
  }
}

/** The same browser (its cookies) on another web server. */
export function sameBrowserOn(baseUrl: string, client: HttpClient): HttpClient {
  const moved = new HttpClient(baseUrl);
  for (const [name, value] of client.cookies) moved.cookies.set(name, value);
  return moved;
}

export const cookieHeader = (client: HttpClient) =>
  [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');

/** A workspace's main pages and key APIs, with its campaigns' own: what a member looks at. */
export function workspacePaths(campaignIds: string[]): string[] {
  return [
    ...['/dashboard', '/campaigns', '/contacts', '/settings', '/settings/team', '/leads'],
    ...['/pipeline', '/profile', '/api/me', '/api/campaigns', '/api/contacts'],
    ...['/api/sync/status', '/api/analytics/dashboard', '/api/analytics/calls'],
    ...['/api/settings/concurrency', '/api/queue/statistics', '/api/dashboard/leads'],
    ...campaignIds.flatMap((id) => [
      `/campaigns/${id}`,
      `/api/campaigns/${id}`,
      `/api/campaigns/${id}/progress`,
      `/api/campaigns/${id}/queue`,
      `/api/campaigns/${id}/analytics`,
    ]),
  ];
}

/** Every line each child process printed, named by process. */
export function logsOf(run: ReturnType<typeof useProcesses>): [string, string][] {
  return [
    ...run.webs.map((w, i): [string, string] => [`web ${i + 1} log`, w.logs()]),
    ...run.workers.map((w, i): [string, string] => [`worker ${i + 1} log`, w.output()]),
  ];
}
