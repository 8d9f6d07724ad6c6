import { ctClock, DAY_MS } from './dates';
import {
  ACTION_PLAN_GROUPS,
  FIRST_NAMES,
  FUTURE_INTEREST,
  LAST_NAMES,
  LEAD_SOURCES,
  STAGES,
} from './domain';
import { makeClient, makeEvent, makeNote, makeOpportunity } from './factories';
import { createRng, type Rng, streamSeed } from './prng';
import {
  addClient,
  addNote,
  addOpportunity,
  compareEvents,
  refreshDealSize,
  stageIndex,
  type TenantStore,
} from './store';
import type { SimRecord, SimulatorTenant } from './types';

const HISTORY_DAYS = 180;
const STAGE_WEIGHTS = STAGES.map(([, , share]) => share);
const STAGE_NUMBERS = STAGES.map((_, i) => i);

/**
 * Builds a tenant's dataset from its seed alone (plus `now`): each kind of
 * record draws from its own PRNG stream, so asking for more events does not
 * reshuffle the clients.
 */
export function generateTenant(tenant: SimulatorTenant, now: Date): TenantStore {
  const count = (value: number | undefined, fallback: number, name: string) => {
    const n = value ?? fallback;
    if (!Number.isInteger(n) || n < 0) throw new Error(`tenant ${name} must be a whole number ≥ 0`);
    return n;
  };
  const clients = count(tenant.clients, 300, 'clients');
  const opportunities = count(tenant.opportunities, Math.round(clients * 0.4), 'opportunities');
  const events = count(tenant.events, Math.round(clients * 0.25), 'events');
  const stream = (label: string) => createRng(streamSeed(tenant.seed, label));
  const store = emptyStore(tenant, stream('lookups'));
  const nowMs = now.getTime();

  const rng = stream('clients');
  const leads = Array.from({ length: clients }, () => {
    const stage = rng.weighted(STAGE_NUMBERS, STAGE_WEIGHTS);
    // Late stages take weeks to reach, so those leads are older.
    const minDays = stage === FUTURE_INTEREST ? 30 : Math.min(stage * 6, HISTORY_DAYS - 10);
    const day = nowMs - (minDays + rng.next() * (HISTORY_DAYS - minDays)) * DAY_MS;
    // Most leads arrive in waking hours; ids ascend with creation time, as CT's do.
    const hour = rng.chance(0.85) ? rng.int(7, 21) : rng.int(0, 23);
    const at = store.clock.atLocal(day, hour, rng.int(0, 59)) + rng.int(0, 59_000);
    return { stage, createdMs: Math.min(at, nowMs) };
  }).sort((a, b) => a.createdMs - b.createdMs);
  for (const { stage, createdMs } of leads)
    addClient(store, makeClient(store, rng, createdMs, nowMs, stage));

  generateOpportunities(store, stream('opportunities'), opportunities, nowMs);
  generateNotes(store, stream('notes'), nowMs);
  const eventRng = stream('events');
  for (let i = 0; i < events && store.clients.length; i++) {
    const day = nowMs + (eventRng.next() * 90 - 30) * DAY_MS;
    store.events.push(makeEvent(store, eventRng, eventRng.pick(store.clients), day, nowMs));
  }
  store.events.sort(compareEvents);
  return store;
}

/** Hands the ids already drawn to the records in creation order, so ids ascend with `created`. */
function inCreationOrder(records: SimRecord[], idField: string): SimRecord[] {
  const ids = records.map((r) => r[idField] as string);
  records.sort((a, b) => (a.created ?? '').localeCompare(b.created ?? ''));
  records.forEach((r, i) => {
    r[idField] = ids[i] as string;
  });
  return records;
}

function generateOpportunities(store: TenantStore, rng: Rng, count: number, nowMs: number) {
  const named = store.clients.filter((c) => c.lastName);
  const advanced = named.filter((c) => stageIndex(c) >= 4 && stageIndex(c) !== FUTURE_INTEREST);
  if (!named.length) return;
  // Opportunities cluster on leads past the first call; a few leads hold two or more.
  const made = Array.from({ length: count }, () => {
    const pool = advanced.length && rng.chance(0.7) ? advanced : named;
    return makeOpportunity(store, rng, rng.pick(pool), nowMs);
  });
  for (const opportunity of inCreationOrder(made, 'opportunity_id'))
    addOpportunity(store, opportunity);
  for (const client of store.clients) refreshDealSize(store, client);
}

function generateNotes(store: TenantStore, rng: Rng, nowMs: number) {
  const made: SimRecord[] = [];
  for (const client of store.clients) {
    if (!rng.chance(0.4)) continue;
    const from = store.clock.parse(client.created ?? '') || nowMs;
    for (let n = rng.int(1, 4); n > 0; n--)
      made.push(makeNote(store, rng, client, from + rng.next() * (nowMs - from)));
  }
  for (const note of inCreationOrder(made, 'history_id')) addNote(store, note);
}

function emptyStore(tenant: SimulatorTenant, rng: Rng): TenantStore {
  const firstNames = [...FIRST_NAMES];
  const users: SimRecord[] = [];
  let userId = rng.int(30_000, 39_000);
  for (let i = rng.int(3, 6); i > 0; i--) {
    // Drawn without replacement so each user's first-name email is unique.
    const first = firstNames.splice(rng.int(0, firstNames.length - 1), 1)[0] as string;
    userId += rng.int(1, 40);
    users.push({
      user_id: String(userId),
      user_first_name: first,
      user_last_name: rng.pick(LAST_NAMES),
      user_email: `${first.toLowerCase()}@example.com`,
    });
  }
  const cycleBase = rng.int(4, 9) * 1000;
  // Lookup ids are spaced irregularly, as ids from a shared CT database are.
  const ids = (start: number) => {
    let last = start;
    return () => {
      last += rng.int(1, 6);
      return String(last);
    };
  };
  const sourceId = ids(rng.int(700, 900));
  const planId = ids(rng.int(1100, 1900));
  const id = (n: number) => String(n);
  return {
    seed: tenant.seed,
    clock: ctClock(tenant.timeZone ?? 'America/New_York'),
    clients: [],
    clientById: new Map(),
    clientByEmail: new Map(),
    clientByPhone: new Map(),
    opportunities: [],
    oppsByClient: new Map(),
    notesByClient: new Map(),
    events: [],
    salesCycles: STAGES.map(([name, likelihood], i) => ({
      sales_cycle_id: id(cycleBase + 4 + i),
      sales_cycle_name: name,
      sales_cycle_active_status: '1',
      sales_cycle_order: id(i + 1),
      likelihood_to_close: id(likelihood),
      contact_type: '1',
      contact_type_name: 'Prospect',
    })),
    leadSources: LEAD_SOURCES.map((name) => ({
      lead_source_id: sourceId(),
      lead_source_name: name,
    })),
    actionPlanGroups: ACTION_PLAN_GROUPS.map((group) =>
      group.map((name) => ({
        action_plan_id: planId(),
        action_plan_name: name,
      })),
    ),
    users,
    lastId: {
      client: rng.int(10_000, 16_000) * 1000,
      opportunity: rng.int(2_000, 4_000) * 1000,
      note: rng.int(90_000, 99_000) * 1000,
      event: rng.int(700, 800) * 1000,
    },
    evolveSteps: 0,
  };
}
