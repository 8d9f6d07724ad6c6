import { type ApiResult, fail, ok } from './envelope';
import { type Params, paging } from './params';
import { normalizePhone, type TenantStore } from './store';
import type { SimRecord } from './types';
import { createClient, deleteClient, updateClient } from './writes';

/** A CT endpoint: the tenant's store, merged params, the optional path id, the clock. */
export type Route = (
  store: TenantStore,
  params: Params,
  id: string | undefined,
  now: Date,
) => ApiResult;

const page = (list: SimRecord[], params: Params) => {
  const { limit, offset } = paging(params);
  return ok(list.length, list.slice(offset, offset + limit));
};

const DATE = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/;

/** read_all_events: start_date within [from_date, end_date]; a bare date covers its whole day. */
function readAllEvents(store: TenantStore, params: Params): ApiResult {
  const from = params.from_date?.trim() ?? '';
  const end = params.end_date?.trim() ?? '';
  if ((from && !DATE.test(from)) || (end && !DATE.test(end))) return fail(400);
  const lower = from.length === 10 ? `${from} 00:00:00` : from;
  const upper = end.length === 10 ? `${end} 23:59:59` : end;
  const type = params.event_type?.trim() ?? '';
  // Events are ordered by start_date, and these strings sort as the times they name.
  const events = store.events;
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((events[mid]?.start_date ?? '') < lower) lo = mid + 1;
    else hi = mid;
  }
  const matches: SimRecord[] = [];
  for (let i = lo; i < events.length; i++) {
    const event = events[i] as SimRecord;
    if (upper && (event.start_date ?? '') > upper) break;
    if (!type || event.event_type === type) matches.push(event);
  }
  return page(matches, params);
}

function readClientById(store: TenantStore, params: Params, id: string | undefined): ApiResult {
  const client = store.clientById.get(id ?? params.client_id ?? '');
  return client ? ok(1, [client]) : fail(515);
}

/** Doc sample: hit → [{client_id, external_id}]; miss → resultCode CT515 with client_id false. */
function readClientExist(store: TenantStore, params: Params): ApiResult {
  const email = params.email?.trim().toLowerCase();
  const phone = params.phone ? normalizePhone(params.phone) : '';
  const client =
    (email ? store.clientByEmail.get(email) : undefined) ??
    (phone.length === 10 ? store.clientByPhone.get(phone) : undefined);
  if (client)
    return ok(1, [{ client_id: client.client_id ?? '', external_id: client.external_id ?? '' }]);
  return { ...fail(515, { client_id: false, external_id: '' }), docSampleCasing: true };
}

function readHistoryNotes(store: TenantStore, params: Params, id: string | undefined): ApiResult {
  const clientId = id ?? params.client_id ?? '';
  if (!store.clientById.has(clientId)) return fail(515);
  return page(store.notesByClient.get(clientId) ?? [], params);
}

/** Action plans come back as an array of arrays (reference §5.3); paging counts plans. */
function readActionPlans(store: TenantStore, params: Params): ApiResult {
  const { limit, offset } = paging(params);
  const all = store.actionPlanGroups.flatMap((group, g) => group.map((plan) => ({ g, plan })));
  const groups: SimRecord[][] = [];
  let lastGroup = -1;
  for (const { g, plan } of all.slice(offset, offset + limit)) {
    if (g !== lastGroup) groups.push([]);
    groups[groups.length - 1]?.push(plan);
    lastGroup = g;
  }
  return ok(all.length, groups);
}

export const ROUTES: Record<string, Route> = {
  read_client_list: (store, params) => page(store.clients, params),
  read_client_by_id: readClientById,
  read_client_exist: readClientExist,
  read_opportunity_list: (store, params) => page(store.opportunities, params),
  read_sales_cycle_list: (store, params) => page(store.salesCycles, params),
  read_lead_source_list: (store, params) => page(store.leadSources, params),
  read_action_plan_list: readActionPlans,
  read_user_list: (store, params) => page(store.users, params),
  read_all_events: readAllEvents,
  read_client_history_notes: readHistoryNotes,
  create_client: createClient,
  update_client_by_id: updateClient,
  delete_client_by_id: deleteClient,
};
