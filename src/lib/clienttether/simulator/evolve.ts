import { DAY_MS } from './dates';
import { FA_SIGNED, FUTURE_INTEREST, NEW_LEAD, planForStage, stageLabel } from './domain';
import { dealFor, makeClient, makeEvent, makeNote, makeOpportunity } from './factories';
import { createRng, type Rng, streamSeed } from './prng';
import {
  addClient,
  addEvent,
  addNote,
  addOpportunity,
  refreshDealSize,
  removeClient,
  stageIndex,
  syncOpportunities,
  type TenantStore,
} from './store';
import type { SimRecord } from './types';

/**
 * One step of "time passing" for a tenant: a few new leads, stage moves, a
 * deal-size change, now and then a deletion, new notes and events. Step k
 * draws from its own stream, so a seed and step count fix the outcome.
 */
export function evolveTenant(store: TenantStore, now: Date) {
  const rng = createRng(streamSeed(store.seed, 'evolve', store.evolveSteps));
  store.evolveSteps += 1;
  const nowMs = now.getTime();
  const stamp = store.clock.format(nowMs);

  for (let n = rng.int(1, 4); n > 0; n--) {
    const stage = rng.chance(0.7) ? NEW_LEAD : 2; // Inbound Contact: the lead called in
    // Created "now" keeps ids ascending with creation time across steps.
    const client = makeClient(store, rng, nowMs, nowMs, stage);
    addClient(store, client);
  }
  for (let n = rng.int(2, 6); n > 0; n--) {
    const client = find(rng, store.clients, (c) => stageIndex(c) < FA_SIGNED);
    if (client) moveStage(store, rng, client, stamp);
  }
  const deal = find(rng, store.opportunities, () => true);
  if (deal) changeDealSize(store, rng, deal, stamp);
  if (rng.chance(0.25)) {
    // Deals under way are rarely deleted; stray and duplicate early leads are.
    const doomed = find(rng, store.clients, (c) => stageIndex(c) <= 2);
    if (doomed) removeClient(store, doomed.client_id as string);
  }
  if (rng.chance(0.3)) {
    const owner = find(rng, store.clients, (c) => stageIndex(c) >= 4 && Boolean(c.lastName));
    if (owner) {
      addOpportunity(store, makeOpportunity(store, rng, owner, nowMs));
      refreshDealSize(store, owner);
      owner.last_modified_date = stamp;
    }
  }
  for (let n = rng.int(1, 3); n > 0; n--) {
    const owner = find(rng, store.clients, () => true);
    if (owner) addNote(store, makeNote(store, rng, owner, nowMs));
  }
  for (let n = rng.int(0, 2); n > 0; n--) {
    const owner = find(rng, store.clients, () => true);
    const day = nowMs + rng.int(1, 21) * DAY_MS;
    if (owner) addEvent(store, makeEvent(store, rng, owner, day, nowMs));
  }
}

/** A random record that passes `accept`, after a bounded number of tries. */
function find(rng: Rng, list: SimRecord[], accept: (r: SimRecord) => boolean) {
  for (let tries = 0; tries < 20 && list.length; tries++) {
    const candidate = rng.pick(list);
    if (accept(candidate)) return candidate;
  }
  return undefined;
}

function moveStage(store: TenantStore, rng: Rng, client: SimRecord, stamp: string) {
  const from = stageIndex(client);
  // Most leads advance one stage; some go cold and park in Future Interest.
  const to = from >= 1 && rng.chance(0.1) ? FUTURE_INTEREST : from + 1;
  client.clients_sales_cycle = stageLabel(to);
  client.clients_action_plan = planForStage(to, rng.next());
  client.last_modified_date = stamp;
  syncOpportunities(store, client);
}

function changeDealSize(store: TenantStore, rng: Rng, deal: SimRecord, stamp: string) {
  const units = Math.min(5, Math.max(1, Number(deal.units) + rng.pick([-1, 1, 1])));
  deal.units = String(units);
  deal.deal_size = String(dealFor(rng, units));
  deal.opportunity_name = deal.opportunity_name?.replace(
    / - \d+ units?$/,
    ` - ${units} unit${units > 1 ? 's' : ''}`,
  ) as string;
  deal.last_modified_date = stamp;
  const owner = store.clientById.get(deal.client_id as string);
  if (owner) {
    refreshDealSize(store, owner);
    owner.last_modified_date = stamp;
  }
}
