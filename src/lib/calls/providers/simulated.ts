import { BolnaExecutionPayload, toSnapshot } from './payload';
import { type CallRecord, executionPayload, simulatedExecutionId } from './simulated-payload';
import { DEFAULT_OUTCOME_WEIGHTS, type PlanOptions, planCall, type Range } from './simulated-plan';
import type {
  SimulatedCall,
  SimulatedProvider,
  SimulatedProviderOptions,
  SimulatedProviderStats,
} from './simulated-types';
import { classifyStatus } from './statuses';
import {
  type BolnaStatus,
  CALL_REF_KEY,
  type ExecutionSnapshot,
  type LookupResult,
  type PlaceCallFailure,
  type PlaceCallResult,
} from './types';

export type { SimulatedOutcome } from './simulated-plan';
export type {
  SimulatedCall,
  SimulatedFaults,
  SimulatedProvider,
  SimulatedProviderOptions,
  SimulatedProviderStats,
} from './simulated-types';

interface LiveCall extends CallRecord {
  /** Index into plan.statuses of the latest status reached; -1 while queued. */
  reached: number;
  /** Set when stopCall ended the call early. */
  stoppedAtMs: number | null;
  timers: Map<ReturnType<typeof setTimeout>, { event: number }>;
  /** Webhook posts still awaiting their answer, and whether one was refused. */
  posting: number;
  deliveryFailed: boolean;
}

/**
 * An ended call is forgotten this long after it ended, once every webhook of
 * it was posted and accepted: longer than the dispatch lease (60 s by default),
 * so a lease recovery in this process still finds a call it dialled. A call
 * with a refused webhook is kept for the stale-call sweep's lookup.
 */
export const FORGET_ENDED_CALLS_AFTER_MS = 5 * 60_000;

const nonNegative = ([min, max]: Range): Range => [Math.max(0, min), Math.max(0, max)];

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * An in-process Bolna for `npm start` and the tests: placeCall answers at once,
 * then timers walk each call through Bolna's statuses (§1.5) and POST its
 * execution object to `postWebhook`, with optional duplicates, reordering and
 * refusals. Deterministic given `random` and the timer functions.
 */
export function createSimulatedProvider(options: SimulatedProviderOptions): SimulatedProvider {
  const random = options.random ?? Math.random;
  const schedule = options.setTimeout ?? globalThis.setTimeout;
  const unschedule = options.clearTimeout ?? globalThis.clearTimeout;
  const now = options.now ?? (() => new Date());
  const faults = options.faults ?? {};
  const plan: PlanOptions = {
    outcomes: options.outcomes ?? DEFAULT_OUTCOME_WEIGHTS,
    ringMs: options.ringMs ?? [2_000, 8_000],
    talkMs: options.talkMs ?? [10_000, 60_000],
    processingMs: options.processingMs ?? [1_000, 3_000],
    webhookDelayMs: nonNegative(faults.webhookDelayMs ?? [0, 0]),
    duplicateWebhookRate: faults.duplicateWebhookRate ?? 0,
    outOfOrderRate: faults.outOfOrderRate ?? 0,
  };
  const calls = new Map<string, LiveCall>();
  // Calls in a non-terminal status, counted as they change (not by scanning every call).
  let active = 0;
  // Ended calls in the order they ended, to forget them (forgetEnded) at O(1) per call.
  const ended: { id: string; at: number }[] = [];
  let endedHead = 0;
  const stats: SimulatedProviderStats = {
    placed: 0,
    refused: 0,
    peakActive: 0,
    delivered: 0,
    failedDeliveries: 0,
  };
  let closed = false;

  const currentStatus = (call: LiveCall): BolnaStatus =>
    call.stoppedAtMs !== null ? 'stopped' : (call.plan.statuses[call.reached]?.status ?? 'queued');
  const isActive = (call: LiveCall) => !classifyStatus(currentStatus(call)).terminal;

  function payloadOf(call: LiveCall, event: number) {
    const planned = call.plan.statuses[event];
    if (planned) return executionPayload(call, planned.status, planned.at);
    return executionPayload(call, currentStatus(call), call.stoppedAtMs ?? 0);
  }

  function later(call: LiveCall, ms: number, event: number, run: () => void) {
    const handle = schedule(() => {
      call.timers.delete(handle);
      if (!closed) run();
    }, ms);
    call.timers.set(handle, { event });
  }

  function deliver(call: LiveCall, payload: object) {
    if (closed) return;
    call.posting += 1;
    options.postWebhook(structuredClone(payload)).then(
      () => {
        call.posting -= 1;
        stats.delivered += 1;
      },
      () => {
        call.posting -= 1;
        call.deliveryFailed = true;
        stats.failedDeliveries += 1;
      },
    );
  }

  /** Applies a status change, keeping the count of active calls and the list of ended ones. */
  function change(call: LiveCall, update: () => void) {
    const wasActive = isActive(call);
    update();
    if (wasActive && !isActive(call)) {
      active -= 1;
      ended.push({ id: call.executionId, at: now().getTime() });
    }
  }

  /** Forgets calls ended FORGET_ENDED_CALLS_AFTER_MS ago whose webhooks were all accepted. */
  function forgetEnded() {
    const cutoff = now().getTime() - FORGET_ENDED_CALLS_AFTER_MS;
    while (endedHead < ended.length && (ended[endedHead]?.at ?? 0) <= cutoff) {
      const { id } = ended[endedHead] as { id: string };
      endedHead += 1;
      const call = calls.get(id);
      if (!call || call.deliveryFailed) continue;
      // A late duplicate or a post still in flight: look again after another period.
      if (call.timers.size > 0 || call.posting > 0) ended.push({ id, at: now().getTime() });
      else calls.delete(id);
    }
    if (endedHead > 1024 && endedHead * 2 > ended.length) {
      ended.splice(0, endedHead);
      endedHead = 0;
    }
  }

  function start(call: LiveCall) {
    call.plan.statuses.forEach((planned, event) => {
      later(call, planned.at, event, () =>
        change(call, () => {
          call.reached = event;
        }),
      );
    });
    for (const delivery of call.plan.deliveries) {
      later(call, delivery.at, delivery.event, () =>
        deliver(call, payloadOf(call, delivery.event)),
      );
    }
  }

  function view(call: LiveCall): SimulatedCall {
    return {
      executionId: call.executionId,
      callRef: call.input.callRef,
      agentId: call.input.agentId,
      to: call.input.to,
      outcome: call.plan.outcome,
      status: currentStatus(call),
      placedAt: call.createdAt,
      userData: { ...call.userData },
    };
  }

  function snapshot(call: LiveCall): ExecutionSnapshot {
    const raw = payloadOf(call, call.stoppedAtMs !== null ? -1 : call.reached);
    return toSnapshot(BolnaExecutionPayload.parse(raw), raw);
  }

  function refuse(failure: PlaceCallFailure, message: string): PlaceCallResult {
    stats.refused += 1;
    return failure === 'rate_limited'
      ? { ok: false, failure, message, retryAfterMs: 1_000 }
      : { ok: false, failure, message };
  }

  return {
    name: 'simulated',

    async placeCall(input, signal) {
      if (closed) return refuse('retryable', 'The call simulator has shut down');
      if (signal?.aborted) return refuse('retryable', 'The request to the simulator was cancelled');
      if (random() < (faults.placeCallFailureRate ?? 0)) {
        const failure = faults.failure ?? 'retryable';
        return refuse(failure, `Simulated ${failure.replace('_', ' ')} failure`);
      }
      if (!E164.test(input.to)) return refuse('invalid_number', 'Simulated Bolna: invalid number');
      forgetEnded();
      stats.placed += 1;
      const call: LiveCall = {
        executionId: simulatedExecutionId(random, stats.placed),
        input: { ...input, userData: { ...input.userData } },
        userData: { ...input.userData, [CALL_REF_KEY]: input.callRef },
        createdAt: now(),
        plan: planCall(plan, random),
        reached: -1,
        stoppedAtMs: null,
        timers: new Map(),
        posting: 0,
        deliveryFailed: false,
      };
      calls.set(call.executionId, call);
      active += 1;
      start(call);
      stats.peakActive = Math.max(stats.peakActive, active);
      return { ok: true, executionId: call.executionId };
    },

    async getExecution(executionId) {
      const call = calls.get(executionId);
      return { ok: true, execution: call ? snapshot(call) : null };
    },

    async findExecutionByRef(agentId, callRef, since): Promise<LookupResult> {
      let found: LiveCall | undefined;
      for (const call of calls.values()) {
        if (call.input.agentId !== agentId || call.createdAt < since) continue;
        if (call.userData[CALL_REF_KEY] === callRef) found = call;
      }
      return { ok: true, execution: found ? snapshot(found) : null };
    },

    async stopCall(executionId) {
      const call = calls.get(executionId);
      if (!call) return { ok: false, message: 'Simulated Bolna: no such execution' };
      const status = currentStatus(call);
      // Bolna stops only calls that have not been answered yet (§1.2).
      if (!['queued', 'initiated', 'ringing'].includes(status)) {
        return { ok: false, message: `Simulated Bolna: cannot stop a call that is ${status}` };
      }
      const elapsed = Math.max(0, now().getTime() - call.createdAt.getTime());
      change(call, () => {
        call.stoppedAtMs = Math.max(elapsed, call.plan.statuses[call.reached]?.at ?? 0);
      });
      for (const [handle, { event }] of call.timers) {
        if (event > call.reached) {
          unschedule(handle);
          call.timers.delete(handle);
        }
      }
      deliver(call, payloadOf(call, -1));
      return { ok: true };
    },

    activeCalls: () => [...calls.values()].filter(isActive).map(view),
    calls: () => [...calls.values()].map(view),
    stats: () => ({ ...stats }),
    close() {
      closed = true;
      for (const call of calls.values()) {
        for (const handle of call.timers.keys()) unschedule(handle);
        call.timers.clear();
      }
    },
  };
}
