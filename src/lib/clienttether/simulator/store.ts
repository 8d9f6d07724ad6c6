import type { CtClock } from './dates';
import { STAGES } from './domain';
import type { SimRecord, SimulatorDataset } from './types';

/**
 * One tenant's data, held as API-shaped records (string scalars) in arrays
 * ordered by id, so a page is a slice and serialising it costs O(page).
 */
export interface TenantStore {
  seed: number;
  clock: CtClock;
  clients: SimRecord[];
  clientById: Map<string, SimRecord>;
  clientByEmail: Map<string, SimRecord>;
  clientByPhone: Map<string, SimRecord>;
  opportunities: SimRecord[];
  oppsByClient: Map<string, SimRecord[]>;
  notesByClient: Map<string, SimRecord[]>;
  /** Ordered by start_date, then event_id, for the date-range filter. */
  events: SimRecord[];
  salesCycles: SimRecord[];
  leadSources: SimRecord[];
  actionPlanGroups: SimRecord[][];
  users: SimRecord[];
  /** Last id handed out per kind; ids only grow, like CT's. */
  lastId: { client: number; opportunity: number; note: number; event: number };
  evolveSteps: number;
}

const STAGE_INDEX = new Map(STAGES.map(([name], i) => [name, i]));
/** Pipeline index of a client's stage; blank or unknown names count as New Lead. */
export const stageIndex = (client: SimRecord) =>
  STAGE_INDEX.get(client.clients_sales_cycle ?? '') ?? 0;

/** Index of the record whose numeric `field` equals `id` in a list ordered by it, or -1. */
export function findById(list: SimRecord[], field: string, id: string): number {
  const target = Number(id);
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = Number(list[mid]?.[field]);
    if (value === target) return mid;
    if (value < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export const normalizePhone = (phone: string) => phone.replace(/\D/g, '').slice(-10);

export function indexContact(store: TenantStore, client: SimRecord) {
  const email = client.email?.toLowerCase();
  const phone = client.phone ? normalizePhone(client.phone) : '';
  // The first client with an address wins, as a duplicate check would see it.
  if (email && !store.clientByEmail.has(email)) store.clientByEmail.set(email, client);
  if (phone && !store.clientByPhone.has(phone)) store.clientByPhone.set(phone, client);
}

export function unindexContact(store: TenantStore, client: SimRecord) {
  const email = client.email?.toLowerCase();
  const phone = client.phone ? normalizePhone(client.phone) : '';
  if (email && store.clientByEmail.get(email) === client) store.clientByEmail.delete(email);
  if (phone && store.clientByPhone.get(phone) === client) store.clientByPhone.delete(phone);
}

export function addClient(store: TenantStore, client: SimRecord) {
  store.clients.push(client);
  store.clientById.set(client.client_id as string, client);
  indexContact(store, client);
}

export function addOpportunity(store: TenantStore, opportunity: SimRecord) {
  store.opportunities.push(opportunity);
  const id = opportunity.client_id as string;
  const list = store.oppsByClient.get(id);
  if (list) list.push(opportunity);
  else store.oppsByClient.set(id, [opportunity]);
}

export function addNote(store: TenantStore, note: SimRecord) {
  const id = note.client_id as string;
  const list = store.notesByClient.get(id);
  if (list) list.push(note);
  else store.notesByClient.set(id, [note]);
}

/** Events sort by start_date (these strings sort as the times they name), then event_id. */
export function compareEvents(a: SimRecord, b: SimRecord): number {
  const byStart = (a.start_date ?? '').localeCompare(b.start_date ?? '');
  return byStart || Number(a.event_id) - Number(b.event_id);
}

export function addEvent(store: TenantStore, event: SimRecord) {
  let lo = 0;
  let hi = store.events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareEvents(store.events[mid] as SimRecord, event) < 0) lo = mid + 1;
    else hi = mid;
  }
  store.events.splice(lo, 0, event);
}

/** Deletes a client with its opportunities, notes and events, as CT does. */
export function removeClient(store: TenantStore, clientId: string): boolean {
  const at = findById(store.clients, 'client_id', clientId);
  const client = store.clients[at];
  if (!client) return false;
  store.clients.splice(at, 1);
  store.clientById.delete(clientId);
  unindexContact(store, client);
  for (const opportunity of store.oppsByClient.get(clientId) ?? []) {
    const i = findById(store.opportunities, 'opportunity_id', opportunity.opportunity_id ?? '');
    if (i >= 0) store.opportunities.splice(i, 1);
  }
  store.oppsByClient.delete(clientId);
  store.notesByClient.delete(clientId);
  store.events = store.events.filter((e) => e.client_id !== clientId);
  return true;
}

/** Opportunities carry their contact's fields (contact_*), so they follow every client change. */
export function syncOpportunities(store: TenantStore, client: SimRecord) {
  for (const o of store.oppsByClient.get(client.client_id as string) ?? []) {
    o.firstName = client.firstName as string;
    o.lastName = client.lastName as string;
    o.compName = client.compName as string;
    o.contact_sales_cycle = client.clients_sales_cycle as string;
    o.contact_lead_source = client.clients_lead_source as string;
    o.contact_action_plan = client.clients_action_plan as string;
    o.contact_type = client.contact_type as string;
    o.assigned_user = client.assigned_user as string;
    o.last_modified_date = client.last_modified_date as string;
  }
}

/** A client's deal_size is the sum of its opportunities' ('' without any). */
export function refreshDealSize(store: TenantStore, client: SimRecord) {
  const opportunities = store.oppsByClient.get(client.client_id as string) ?? [];
  client.deal_size = opportunities.length
    ? String(opportunities.reduce((sum, o) => sum + Number(o.deal_size), 0))
    : '';
}

const copy = (records: SimRecord[]) => records.map((r) => ({ ...r }));

/** Copies, so a test can hold a snapshot across evolve() and compare. */
export function snapshot(store: TenantStore): SimulatorDataset {
  return {
    clients: copy(store.clients),
    opportunities: copy(store.opportunities),
    salesCycles: copy(store.salesCycles),
    leadSources: copy(store.leadSources),
    actionPlans: copy(store.actionPlanGroups.flat()),
    users: copy(store.users),
    events: copy(store.events),
    notes: store.clients.flatMap((c) => copy(store.notesByClient.get(c.client_id as string) ?? [])),
  };
}
