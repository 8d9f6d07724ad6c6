import { type Exchange, errorDetail, exchange, parseJson, transportMessage } from './http';
import { BolnaExecutionPayload, executionCallRef, toSnapshot } from './payload';
import { readPlaceCallResponse } from './place-call-response';
import { CALL_REF_KEY, type CallProvider, type LookupResult, type PlaceCallInput } from './types';

export const DEFAULT_BOLNA_URL = 'https://api.bolna.ai';

export interface BolnaProviderOptions {
  apiKey: string;
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Waits between lookup retries (tests record them instead). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

/** Lookups retry network errors, timeouts and 5xx twice; placeCall never retries (the dispatcher owns that). */
const LOOKUP_RETRY_DELAYS_MS = [500, 1_000];
/** Bolna's page-size cap for agent executions (§1.2). */
export const EXECUTIONS_PAGE_SIZE = 50;
const MAX_PAGES = 20;
/** List rows are a trimmed projection without user_data; each unmatched row costs one GET. */
const MAX_DETAIL_LOOKUPS = 100;
/** Bolna's clock and ours may disagree; widen the window rather than miss the call. */
const CLOCK_SKEW_MS = 2 * 60_000;

/** ISO-8601 to the second with an explicit offset: Bolna rejects a trailing `Z` elsewhere (§1.4). */
function bolnaTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
}

const isTransient = (outcome: Exchange) =>
  outcome.kind === 'timeout' ||
  outcome.kind === 'network' ||
  (outcome.kind === 'response' && (outcome.status >= 500 || outcome.status === 408));

export function createBolnaProvider(options: BolnaProviderOptions): CallProvider {
  const { apiKey } = options;
  if (!apiKey) throw new Error('the Bolna provider needs an API key');
  const base = (options.baseUrl ?? DEFAULT_BOLNA_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? (() => new Date());

  const send = (method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal) =>
    exchange({ fetch: fetchImpl, url: `${base}${path}`, method, apiKey, body, timeoutMs, signal });

  async function sendWithRetries(path: string): Promise<Exchange> {
    let outcome = await send('GET', path);
    for (const delay of LOOKUP_RETRY_DELAYS_MS) {
      if (!isTransient(outcome)) break;
      await sleep(delay);
      outcome = await send('GET', path);
    }
    return outcome;
  }

  /** A lookup's failure in our words; `what` names the request. */
  function lookupFailure(outcome: Exchange, what: string): { ok: false; message: string } {
    if (outcome.kind !== 'response')
      return { ok: false, message: transportMessage(outcome, timeoutMs) };
    if (outcome.status === 401 || outcome.status === 403) {
      return { ok: false, message: `Bolna refused the API key (HTTP ${outcome.status})` };
    }
    const detail = errorDetail(outcome.text, apiKey);
    return {
      ok: false,
      message: `Bolna answered HTTP ${outcome.status} to ${what}${detail ? `: ${detail}` : ''}`,
    };
  }

  async function getExecution(executionId: string): Promise<LookupResult> {
    const outcome = await sendWithRetries(`/executions/${encodeURIComponent(executionId)}`);
    if (outcome.kind === 'response' && outcome.status === 404) return { ok: true, execution: null };
    if (outcome.kind !== 'response' || outcome.status < 200 || outcome.status >= 300) {
      return lookupFailure(outcome, 'an execution lookup');
    }
    const raw = parseJson(outcome.text);
    const parsed = BolnaExecutionPayload.safeParse(raw);
    if (!parsed.success) return { ok: false, message: 'Bolna sent an execution we could not read' };
    return { ok: true, execution: toSnapshot(parsed.data, raw) };
  }

  async function findExecutionByRef(
    agentId: string,
    callRef: string,
    since: Date,
  ): Promise<LookupResult> {
    const window = new URLSearchParams({
      page_size: String(EXECUTIONS_PAGE_SIZE),
      from: bolnaTime(since.getTime() - CLOCK_SKEW_MS),
      to: bolnaTime(now().getTime() + CLOCK_SKEW_MS),
    });
    const unmatched: string[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      window.set('page_number', String(page));
      const path = `/v2/agent/${encodeURIComponent(agentId)}/executions?${window}`;
      const outcome = await sendWithRetries(path);
      if (outcome.kind !== 'response' || outcome.status < 200 || outcome.status >= 300) {
        return lookupFailure(outcome, 'an executions listing');
      }
      const body = parseJson(outcome.text) as { data?: unknown; has_more?: unknown } | undefined;
      if (!Array.isArray(body?.data)) {
        return { ok: false, message: 'Bolna sent an executions listing we could not read' };
      }
      for (const row of body.data) {
        const parsed = BolnaExecutionPayload.safeParse(row);
        if (!parsed.success) continue;
        const ref = executionCallRef(parsed.data);
        if (ref === callRef) return { ok: true, execution: toSnapshot(parsed.data, row) };
        if (ref === null) unmatched.push(parsed.data.id);
      }
      const more =
        typeof body.has_more === 'boolean'
          ? body.has_more
          : body.data.length >= EXECUTIONS_PAGE_SIZE;
      if (!more || body.data.length === 0) return findAmong(unmatched, callRef);
      if (page === MAX_PAGES) break;
    }
    return { ok: false, message: `More than ${MAX_PAGES} pages of executions to search` };
  }

  /** Fetches rows the listing trimmed, one by one, until one carries `callRef`. */
  async function findAmong(ids: string[], callRef: string): Promise<LookupResult> {
    if (ids.length > MAX_DETAIL_LOOKUPS) {
      return { ok: false, message: `Too many executions (${ids.length}) to search one by one` };
    }
    for (const id of ids) {
      const found = await getExecution(id);
      if (!found.ok) return found;
      const raw = found.execution?.raw;
      const parsed = BolnaExecutionPayload.safeParse(raw);
      if (parsed.success && executionCallRef(parsed.data) === callRef) return found;
    }
    return { ok: true, execution: null };
  }

  return {
    name: 'bolna',
    async placeCall(input: PlaceCallInput, signal?: AbortSignal) {
      const body = {
        agent_id: input.agentId,
        recipient_phone_number: input.to,
        ...(input.from ? { from_phone_number: input.from } : {}),
        user_data: { ...input.userData, [CALL_REF_KEY]: input.callRef },
      };
      const outcome = await send('POST', '/call', body, signal);
      return readPlaceCallResponse(outcome, apiKey, timeoutMs, Date.now());
    },
    getExecution,
    findExecutionByRef,
    async stopCall(executionId: string) {
      const outcome = await send('POST', `/call/${encodeURIComponent(executionId)}/stop`);
      if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
        return { ok: true };
      }
      return { ok: false, message: lookupFailure(outcome, 'a stop request').message };
    },
  };
}
