import type { BolnaStatus } from './types';

/** The endings a simulated call can be given weights for. */
export const SIMULATED_OUTCOMES = ['completed', 'no-answer', 'busy', 'failed'] as const;
export type SimulatedOutcome = (typeof SIMULATED_OUTCOMES)[number];

export type Range = readonly [min: number, max: number];

export interface PlanOptions {
  outcomes: Partial<Record<SimulatedOutcome, number>>;
  ringMs: Range;
  talkMs: Range;
  processingMs: Range;
  webhookDelayMs: Range;
  duplicateWebhookRate: number;
  outOfOrderRate: number;
}

/** One status change at `at` ms after placeCall. */
export interface PlannedStatus {
  status: BolnaStatus;
  at: number;
}

/** One webhook POST of the `event`-th status, `at` ms after placeCall. */
export interface PlannedDelivery {
  event: number;
  at: number;
}

export interface CallPlan {
  outcome: SimulatedOutcome;
  ringMs: number;
  talkMs: number;
  statuses: PlannedStatus[];
  deliveries: PlannedDelivery[];
}

export const DEFAULT_OUTCOME_WEIGHTS: Readonly<Record<SimulatedOutcome, number>> = {
  completed: 70,
  'no-answer': 15,
  busy: 10,
  failed: 5,
};

/** Integer in [min, max]. */
export function pick(range: Range, random: () => number): number {
  const [min, max] = range[0] <= range[1] ? range : [range[1], range[0]];
  return Math.round(min + random() * (max - min));
}

function pickOutcome(weights: PlanOptions['outcomes'], random: () => number): SimulatedOutcome {
  const entries = SIMULATED_OUTCOMES.map((o) => [o, Math.max(0, weights[o] ?? 0)] as const);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  if (total === 0) return 'completed';
  let r = random() * total;
  for (const [outcome, weight] of entries) {
    r -= weight;
    if (r < 0) return outcome;
  }
  return entries.findLast(([, w]) => w > 0)?.[0] ?? 'completed';
}

/**
 * The whole life of one call, drawn up front so the random stream is consumed
 * in a fixed order (a seeded run is reproducible). Status times follow Bolna's
 * flow (§1.5); deliveries add delay, duplicates and reordering.
 */
export function planCall(options: PlanOptions, random: () => number): CallPlan {
  const outcome = pickOutcome(options.outcomes, random);
  const ringMs = pick(options.ringMs, random);
  const talkMs = pick(options.talkMs, random);
  const processingMs = pick(options.processingMs, random);
  const ringingAt = Math.round(ringMs / 4);
  const statuses: PlannedStatus[] = [{ status: 'initiated', at: 0 }];
  if (outcome === 'failed') statuses.push({ status: 'failed', at: ringingAt });
  else statuses.push({ status: 'ringing', at: ringingAt });
  if (outcome === 'busy') statuses.push({ status: 'busy', at: Math.round(ringMs / 2) });
  if (outcome === 'no-answer') statuses.push({ status: 'no-answer', at: ringMs });
  if (outcome === 'completed') {
    statuses.push(
      { status: 'in-progress', at: ringMs },
      { status: 'call-disconnected', at: ringMs + talkMs },
      { status: 'completed', at: ringMs + talkMs + processingMs },
    );
  }
  return {
    outcome,
    ringMs,
    talkMs,
    statuses,
    deliveries: planDeliveries(statuses, options, random),
  };
}

function planDeliveries(
  statuses: PlannedStatus[],
  options: PlanOptions,
  random: () => number,
): PlannedDelivery[] {
  const at = statuses.map((s) => s.at + pick(options.webhookDelayMs, random));
  // Walk backwards so a held-back delivery lands after its successor's final time.
  for (let k = statuses.length - 2; k >= 0; k -= 1) {
    if (random() < options.outOfOrderRate) at[k] = Math.max(at[k] ?? 0, (at[k + 1] ?? 0) + 1);
  }
  const deliveries: PlannedDelivery[] = at.map((time, event) => ({ event, at: time }));
  for (let event = 0; event < statuses.length; event += 1) {
    if (random() < options.duplicateWebhookRate) {
      const first = at[event] ?? 0;
      deliveries.push({ event, at: first + 1 + pick(options.webhookDelayMs, random) });
    }
  }
  return deliveries.sort((a, b) => a.at - b.at);
}
