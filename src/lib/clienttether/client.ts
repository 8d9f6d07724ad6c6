import { setTimeout as delay } from 'node:timers/promises';
import type { z } from 'zod';
import { exchange, parseRecords } from './envelope';
import { type RetryPolicy, withRetries } from './retry';
import {
  type ApiError,
  type ApiResponse,
  CTActionPlan,
  CTClient,
  CTClientRef,
  CTEvent,
  CTHistoryNote,
  CTLeadSource,
  CTOpportunity,
  CTSalesCycle,
  CTUser,
  type Page,
  type PagedResource,
} from './types';

export type { ApiError, ApiErrorKind, ApiResponse, Page, PagedResource } from './types';

export const DEFAULT_CLIENTTETHER_URL = 'https://api.clienttether.com/v2/api/';
/** ClientTether's page-size cap (§4). */
export const MAX_PAGE_SIZE = 100;
/** A server that never short-pages and never reports a total must not page forever. */
const MAX_PAGES = 10_000;

export interface ClientTetherCredentials {
  accessToken: string;
  webKey: string;
}

export interface ClientTetherClientOptions {
  baseUrl?: string;
  credentials: ClientTetherCredentials;
  timeoutMs?: number;
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
  maxRetryAfterMs?: number;
  /** Aborts the request in flight and any backoff: every call then answers kind 'aborted'. */
  signal?: AbortSignal;
}

export interface ListParams {
  limit?: number;
  offset?: number;
}

export interface EventWindow {
  /** 'Y-m-d H:i:s' in the account's zone. */
  fromDate: string;
  endDate: string;
  eventType?: string;
}

export interface ClientTetherClient {
  readClientList(p?: ListParams): Promise<ApiResponse<CTClient[]>>;
  readClientById(clientId: string): Promise<ApiResponse<CTClient | null>>;
  /** A miss (CT515) is ok with null. */
  readClientExist(q: { email?: string; phone?: string }): Promise<ApiResponse<CTClientRef | null>>;
  readOpportunityList(p?: ListParams): Promise<ApiResponse<CTOpportunity[]>>;
  readSalesCycleList(): Promise<ApiResponse<CTSalesCycle[]>>;
  readLeadSourceList(): Promise<ApiResponse<CTLeadSource[]>>;
  readActionPlanList(): Promise<ApiResponse<CTActionPlan[]>>;
  readUserList(): Promise<ApiResponse<CTUser[]>>;
  readAllEvents(p: EventWindow & ListParams): Promise<ApiResponse<CTEvent[]>>;
  readClientHistoryNotes(clientId: string): Promise<ApiResponse<CTHistoryNote[]>>;
  /**
   * Pages a list endpoint to exhaustion, yielding each page as it arrives (so
   * callers can stream into the database), or one error and stops. Params are
   * ignored for clients and opportunities: ClientTether has no known filters.
   */
  pages(resource: 'clients', params?: object): AsyncGenerator<ApiResponse<Page<CTClient>>>;
  pages(
    resource: 'opportunities',
    params?: object,
  ): AsyncGenerator<ApiResponse<Page<CTOpportunity>>>;
  pages(resource: 'events', params: EventWindow): AsyncGenerator<ApiResponse<Page<CTEvent>>>;
  /** One cheap authenticated call (read_user_list) for Settings' "Test connection". */
  testConnection(): Promise<ApiResponse<{ users: number }>>;
}

type Query = Record<string, string | number | undefined>;
type CallOptions = { path?: string; flatten?: boolean };

interface PagedRecord {
  clients: CTClient;
  opportunities: CTOpportunity;
  events: CTEvent;
}
const PAGED: { [R in PagedResource]: { endpoint: string; schema: z.ZodType<PagedRecord[R]> } } = {
  clients: { endpoint: 'read_client_list', schema: CTClient },
  opportunities: { endpoint: 'read_opportunity_list', schema: CTOpportunity },
  events: { endpoint: 'read_all_events', schema: CTEvent },
};

/** ListParams as a query: limit clamped to ClientTether's 1..100, offset to ≥ 0. */
export function pageQuery(p: ListParams = {}): { limit: number; offset: number } {
  const limit = Number.isFinite(p.limit) ? Math.trunc(p.limit as number) : MAX_PAGE_SIZE;
  const offset = Number.isFinite(p.offset) ? Math.trunc(p.offset as number) : 0;
  return { limit: Math.min(MAX_PAGE_SIZE, Math.max(1, limit)), offset: Math.max(0, offset) };
}

function eventQuery(p: Partial<EventWindow>): Query {
  return { from_date: p.fromDate, end_date: p.endDate, event_type: p.eventType };
}

function queryString(query: Query): string {
  const pairs = Object.entries(query).filter(
    (pair): pair is [string, string | number] => pair[1] !== undefined,
  );
  if (pairs.length === 0) return '';
  // %20 rather than '+': every server decodes it, not only form decoders.
  return `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
}

export function createClientTetherClient(options: ClientTetherClientOptions): ClientTetherClient {
  const base = `${(options.baseUrl ?? DEFAULT_CLIENTTETHER_URL).replace(/\/+$/, '')}/`;
  const { accessToken, webKey } = options.credentials;
  const secrets = [accessToken, webKey].filter((secret) => secret.length > 0);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const { signal } = options;
  // The default sleep's timer goes with the signal, so an aborted backoff holds no process open.
  const sleep = (ms: number) => delay(ms, undefined, { signal }).catch(() => undefined);
  const policy: RetryPolicy = {
    maxRetries: options.maxRetries ?? 3,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    sleep: options.sleep ?? sleep,
    random: options.random ?? Math.random,
    signal,
  };
  const request = {
    fetch: options.fetch ?? globalThis.fetch,
    headers: { 'X-Access-Token': accessToken, 'X-Web-Key': webKey, Accept: 'application/json' },
    timeoutMs,
    signal,
  };
  // Checklist 28: an envelope Message could echo what we sent.
  const redact = (text: string) =>
    secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);

  async function call(endpoint: string, query: Query, { path = endpoint, flatten = false } = {}) {
    const url = `${base}${path}${queryString(query)}`;
    const outcome = await withRetries(() => exchange({ ...request, url, flatten }), policy);
    if (outcome.ok) return { ok: true as const, envelope: outcome.value };
    const error: ApiError = { ...outcome.error, message: redact(outcome.error.message), endpoint };
    return { ok: false as const, error };
  }

  async function list<T>(schema: z.ZodType<T>, endpoint: string, query: Query, at?: CallOptions) {
    const called = await call(endpoint, query, at);
    if (!called.ok) return called;
    const { records, invalid } = parseRecords(schema, called.envelope.rows);
    return { ok: true as const, data: records, total: called.envelope.total, invalid };
  }

  /** A single-record read: data[0], or null on CT515 or an empty list. */
  async function one<T>(schema: z.ZodType<T>, endpoint: string, query: Query, at?: CallOptions) {
    const listed = await list(schema, endpoint, query, at);
    return listed.ok ? { ...listed, data: listed.data[0] ?? null } : listed;
  }

  async function* pages<R extends PagedResource>(
    resource: R,
    params?: object,
  ): AsyncGenerator<ApiResponse<Page<PagedRecord[R]>>> {
    const { endpoint, schema } = PAGED[resource];
    const filters = resource === 'events' ? eventQuery((params ?? {}) as Partial<EventWindow>) : {};
    let offset = 0;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const called = await call(endpoint, { ...filters, limit: MAX_PAGE_SIZE, offset });
      if (!called.ok) {
        yield called;
        return;
      }
      const { rows, total, totalReported, raw } = called.envelope;
      const { records, invalid } = parseRecords(schema, rows);
      yield { ok: true, data: { page, offset, total, records, invalid, raw }, total, invalid };
      // Advance by what arrived, not by the limit: a server that ignores the
      // limit then neither repeats nor skips rows.
      offset += rows.length;
      // Trust TotalRecord over a short page, so a server capping pages below
      // 100 isn't silently truncated; an overstated total costs one empty page.
      const more = totalReported ? offset < total : rows.length >= MAX_PAGE_SIZE;
      if (rows.length === 0 || !more) return;
    }
    const message = `ClientTether kept sending pages past ${MAX_PAGES} requests`;
    yield { ok: false, error: { kind: 'invalid_response', message, retryable: false, endpoint } };
  }

  const byId = (verb: string, id: string) => ({ path: `${verb}/${encodeURIComponent(id)}` });
  const lookup = { limit: MAX_PAGE_SIZE };

  return {
    readClientList: (p) => list(CTClient, 'read_client_list', pageQuery(p)),
    readClientById: (id) => one(CTClient, 'read_client_by_id', {}, byId('read_client_by_id', id)),
    // ClientTether matches phones as 10 bare digits (§5.1).
    readClientExist: ({ email, phone }) =>
      one(CTClientRef, 'read_client_exist', { email, phone: phone?.replace(/\D/g, '') }),
    readOpportunityList: (p) => list(CTOpportunity, 'read_opportunity_list', pageQuery(p)),
    readSalesCycleList: () => list(CTSalesCycle, 'read_sales_cycle_list', lookup),
    readLeadSourceList: () => list(CTLeadSource, 'read_lead_source_list', lookup),
    readActionPlanList: () =>
      list(CTActionPlan, 'read_action_plan_list', lookup, { flatten: true }),
    readUserList: () => list(CTUser, 'read_user_list', {}),
    readAllEvents: (p) => list(CTEvent, 'read_all_events', { ...eventQuery(p), ...pageQuery(p) }),
    readClientHistoryNotes: (id) =>
      list(CTHistoryNote, 'read_client_history_notes', {}, byId('read_client_history_notes', id)),
    pages,
    testConnection: async () => {
      const users = await list(CTUser, 'read_user_list', {});
      return users.ok ? { ...users, data: { users: users.total } } : users;
    },
  };
}
