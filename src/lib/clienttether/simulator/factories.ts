import {
  BACKGROUNDS,
  EMAIL_DOMAINS,
  EVENT_PLACES,
  EVENT_TITLES,
  FIRST_NAMES,
  LAST_NAMES,
  LEAD_SOURCE_WEIGHTS,
  LEAD_SOURCES,
  MARKETS,
  NEW_LEAD,
  NOTE_TEXTS,
  planForStage,
  STREETS,
  stageLabel,
} from './domain';
import type { Rng } from './prng';
import type { TenantStore } from './store';
import type { SimRecord } from './types';

/** Builders of API-shaped records: every field present, in the API's order, all strings. */
const MARKET_SHORT = new Map(MARKETS.map((m) => [m[0], m[1]]));
const EMPTY_WHITEBOARD = '<p><br></p>';

const between = (rng: Rng, from: number, to: number) => from + Math.floor(rng.next() * (to - from));

function uniqueContact(store: TenantStore, rng: Rng, first: string, last: string, area: string) {
  const base = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
  // Taken addresses get a number, as real ones do; the range widens so retries stay few.
  let email = `${base}@${rng.pick(EMAIL_DOMAINS)}`;
  for (let top = 99; store.clientByEmail.has(email); top *= 10)
    email = `${base}${rng.int(2, top)}@${rng.pick(EMAIL_DOMAINS)}`;
  // 555 exchanges are fictional; other area codes, then other exchanges, as numbers run out.
  let phone = `${area}555${String(rng.int(0, 9999)).padStart(4, '0')}`;
  for (let tries = 0; store.clientByPhone.has(phone); tries++) {
    const exchange = tries < 20 ? '555' : String(rng.int(200, 999));
    phone = `${rng.pick(MARKETS)[5]}${exchange}${String(rng.int(0, 9999)).padStart(4, '0')}`;
  }
  return { email, phone };
}

function whiteboard(rng: Rng, stage: number, market: string): string {
  if (rng.chance(0.45)) return EMPTY_WHITEBOARD;
  if (rng.chance(0.15)) return '';
  const parts = [
    `${rng.int(1, 3)}-unit interest. Liquid capital ~$${rng.int(5, 40) * 10}k.`,
    `Currently a ${rng.pick(BACKGROUNDS)}.`,
  ];
  if (stage >= 7) parts.push(`FDD sent ${rng.int(1, 12)}/${rng.int(1, 28)}.`);
  if (market && rng.chance(0.4)) parts.push(`Wants ${market} territory.`);
  return `<p>${parts.slice(rng.int(0, 1)).join(' ')}</p>`;
}

export function makeClient(
  store: TenantStore,
  rng: Rng,
  createdMs: number,
  nowMs: number,
  stage: number,
) {
  store.lastId.client += rng.int(1, 7);
  const createdAt = store.clock.format(createdMs);
  const common = {
    client_id: String(store.lastId.client),
    clients_sales_cycle: stageLabel(stage),
    clients_lead_source: rng.weighted(LEAD_SOURCES, LEAD_SOURCE_WEIGHTS),
    assigned_user: assignedUser(store, rng),
    created: createdAt,
    last_modified_date: store.clock.format(between(rng, createdMs, nowMs + 1)),
  };
  const [compName, , city, state, zip, area] = rng.pick(MARKETS);
  if (stage === NEW_LEAD && rng.chance(0.03)) {
    // Leads created by an inbound text or call carry CT's placeholder names.
    return clientRecord({
      ...common,
      firstName: rng.chance(0.5) ? 'No Name Text Added' : 'No Name Added by Call',
      phone: uniqueContact(store, rng, '', '', area).phone,
      whiteboard: EMPTY_WHITEBOARD,
      contact_type: '1',
    });
  }
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const contact = uniqueContact(store, rng, first, last, area);
  const hasAddress = rng.chance(0.7);
  return clientRecord({
    ...common,
    external_id: rng.chance(0.2) ? String(rng.int(10_000_000, 99_999_999)) : '',
    firstName: first,
    lastName: last,
    compName: rng.chance(0.95) ? compName : '',
    email: rng.chance(0.9) ? contact.email : '',
    phone: contact.phone,
    address: hasAddress ? `${rng.int(100, 9899)} ${rng.pick(STREETS)}` : '',
    city: hasAddress ? city : '',
    state: hasAddress || rng.chance(0.5) ? state : '',
    zip: hasAddress ? `${zip}${String(rng.int(1, 99)).padStart(2, '0')}` : '',
    whiteboard: whiteboard(rng, stage, compName),
    clients_action_plan: planForStage(stage, rng.next()),
    contact_type: rng.weighted(['1', '4', '5'], [90, 6, 4]),
  });
}

function assignedUser(store: TenantStore, rng: Rng) {
  const user = rng.chance(0.85) ? rng.pick(store.users) : undefined;
  return user ? `${user.user_first_name} ${user.user_last_name}` : '';
}

/** Client fields in the order read_client_list returns them (reference §8). */
export const CLIENT_FIELDS = [
  'client_id',
  'external_id',
  'firstName',
  'lastName',
  'compName',
  'email',
  'phone',
  'address',
  'city',
  'state',
  'zip',
  'whiteboard',
  'deal_size',
  'clients_sales_cycle',
  'clients_lead_source',
  'clients_action_plan',
  'contact_type',
  'assigned_user',
  'created',
  'last_modified_date',
] as const;

/** A client record with every field present ('' when not given), so all rows share one shape. */
export function clientRecord(fields: Partial<Record<(typeof CLIENT_FIELDS)[number], string>>) {
  const record: SimRecord = {};
  for (const field of CLIENT_FIELDS) record[field] = fields[field] ?? '';
  return record;
}

/** Deal size of an IFF-like franchise deal: a first-unit fee plus a discount per extra unit. */
export function dealFor(rng: Rng, units: number): number {
  const first = rng.int(7, 10) * 5000;
  const extra = (units - 1) * rng.int(4, 5) * 5000;
  return Math.min(150_000, first + extra);
}

export function makeOpportunity(
  store: TenantStore,
  rng: Rng,
  owner: SimRecord,
  nowMs: number,
): SimRecord {
  store.lastId.opportunity += rng.int(1, 5);
  const units = rng.weighted([1, 2, 3, 4, 5], [50, 25, 13, 7, 5]);
  const place = MARKET_SHORT.get(owner.compName ?? '') || owner.lastName || 'Open market';
  const ownerCreated = store.clock.parse(owner.created ?? '') || nowMs;
  const createdMs = between(rng, Math.min(ownerCreated, nowMs), nowMs + 1);
  return {
    opportunity_id: String(store.lastId.opportunity),
    client_id: owner.client_id as string,
    opportunity_name: `${place} - ${units} unit${units > 1 ? 's' : ''}`,
    firstName: owner.firstName as string,
    lastName: owner.lastName as string,
    compName: owner.compName as string,
    contact_sales_cycle: owner.clients_sales_cycle as string,
    deal_size: String(dealFor(rng, units)),
    units: String(units),
    contact_lead_source: owner.clients_lead_source as string,
    contact_action_plan: owner.clients_action_plan as string,
    contact_type: owner.contact_type as string,
    assigned_user: owner.assigned_user as string,
    created: store.clock.format(createdMs),
    last_modified_date: store.clock.format(between(rng, createdMs, nowMs + 1)),
  };
}

const userIdOf = (store: TenantStore, rng: Rng, owner: SimRecord) =>
  store.users.find((u) => `${u.user_first_name} ${u.user_last_name}` === owner.assigned_user)
    ?.user_id ?? (rng.pick(store.users).user_id as string);

export function makeNote(
  store: TenantStore,
  rng: Rng,
  owner: SimRecord,
  createdMs: number,
): SimRecord {
  store.lastId.note += rng.int(1, 9);
  const type = rng.weighted(['note', 'call', 'email', 'text'], [45, 25, 20, 10]);
  return {
    history_id: String(store.lastId.note),
    client_id: owner.client_id as string,
    user_id: userIdOf(store, rng, owner),
    note_type: type,
    note: `<p>${rng.pick(NOTE_TEXTS[type] ?? [''])}</p>`,
    created: store.clock.format(createdMs),
  };
}

/** An event on a business-hours half hour of the local day containing `dayMs`. */
export function makeEvent(
  store: TenantStore,
  rng: Rng,
  owner: SimRecord,
  dayMs: number,
  nowMs: number,
): SimRecord {
  store.lastId.event += rng.int(1, 9);
  const start = store.clock.atLocal(dayMs, rng.int(9, 16), rng.chance(0.5) ? 0 : 30);
  const end = start + rng.pick([15, 30, 30, 60, 120]) * 60_000;
  const status =
    start < nowMs
      ? rng.weighted(['completed', 'no_show', 'cancelled'], [75, 10, 15])
      : rng.weighted(['scheduled', 'cancelled'], [90, 10]);
  return {
    event_id: String(store.lastId.event),
    client_id: owner.client_id as string,
    user_id: userIdOf(store, rng, owner),
    event_type: rng.weighted(['appt', 'call', 'task'], [70, 20, 10]),
    event_title: rng.pick(EVENT_TITLES),
    event_notes: rng.pick(EVENT_PLACES),
    start_date: store.clock.format(start),
    end_date: store.clock.format(end),
    status,
  };
}
