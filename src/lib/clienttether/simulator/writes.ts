import { type ApiResult, fail, ok } from './envelope';
import { clientRecord } from './factories';
import type { Params } from './params';
import {
  addClient,
  indexContact,
  normalizePhone,
  removeClient,
  syncOpportunities,
  type TenantStore,
  unindexContact,
} from './store';
import type { SimRecord } from './types';

const TEXT_FIELDS = [
  'external_id',
  'firstName',
  'lastName',
  'compName',
  'email',
  'address',
  'city',
  'state',
  'zip',
  'whiteboard',
  'deal_size',
] as const;

/** The doc samples answer update and delete as {"resultCode":"CT200","Message":"Success"}. */
const done: ApiResult = { code: 200, message: 'Success', docSampleCasing: true };

/** Ids in params name lookup records; CT stores the name on the client ('0' = none). */
function lookupName(list: SimRecord[], idField: string, nameField: string, id: string) {
  return list.find((r) => r[idField] === id)?.[nameField] ?? '';
}

function applyFields(store: TenantStore, client: SimRecord, params: Params) {
  for (const field of TEXT_FIELDS) if (params[field] !== undefined) client[field] = params[field];
  if (params.phone !== undefined) client.phone = normalizePhone(params.phone);
  if (params.sales_cycle_id !== undefined) {
    client.clients_sales_cycle = lookupName(
      store.salesCycles,
      'sales_cycle_id',
      'sales_cycle_name',
      params.sales_cycle_id,
    );
    // CT shows New Lead as a blank stage.
    if (client.clients_sales_cycle === 'New Lead') client.clients_sales_cycle = '';
  }
  if (params.lead_source_id !== undefined)
    client.clients_lead_source = lookupName(
      store.leadSources,
      'lead_source_id',
      'lead_source_name',
      params.lead_source_id,
    );
  if (params.action_plan_id !== undefined)
    client.clients_action_plan = lookupName(
      store.actionPlanGroups.flat(),
      'action_plan_id',
      'action_plan_name',
      params.action_plan_id,
    );
}

export function createClient(store: TenantStore, params: Params, _id: unknown, now: Date) {
  if (!params.firstName?.trim() || !params.lastName?.trim()) return fail(501);
  store.lastId.client += 1;
  const stamp = store.clock.format(now);
  const client = clientRecord({
    client_id: String(store.lastId.client),
    whiteboard: '<p><br></p>',
    contact_type: '1',
    created: stamp,
    last_modified_date: stamp,
  });
  applyFields(store, client, params);
  addClient(store, client);
  return ok(1, [{ client_id: client.client_id ?? '', external_id: client.external_id ?? '' }]);
}

export function updateClient(
  store: TenantStore,
  params: Params,
  id: string | undefined,
  now: Date,
) {
  const clientId = id ?? params.client_id;
  if (!clientId) return fail(501);
  const client = store.clientById.get(clientId);
  if (!client) return fail(515);
  unindexContact(store, client);
  applyFields(store, client, params);
  if (params.append_whiteboard) {
    const extra = params.append_whiteboard.startsWith('<')
      ? params.append_whiteboard
      : `<p>${params.append_whiteboard}</p>`;
    const current = client.whiteboard === '<p><br></p>' ? '' : (client.whiteboard ?? '');
    client.whiteboard = current + extra;
  }
  indexContact(store, client);
  client.last_modified_date = store.clock.format(now);
  syncOpportunities(store, client);
  return done;
}

export function deleteClient(store: TenantStore, params: Params, id: string | undefined) {
  const clientId = id ?? params.client_id;
  if (!clientId) return fail(501);
  return removeClient(store, clientId) ? done : fail(515);
}
