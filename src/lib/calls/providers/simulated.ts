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
}

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

  function deliver(payload: object) {
    if (closed) return;
    options.postWebhook(structuredClone(payload)).then(
      () => {
        stats.delivered += 1;
      },
      () => {
        stats.failedDeliveries += 1;
      },
    );
  }

  function start(call: LiveCall) {
    call.plan.statuses.forEach((planned, event) => {
      later(call, planned.at, event, () => {
        call.reached = event;
      });
    });
    for (const delivery of call.plan.deliveries) {
      later(call, delivery.at, delivery.event, () => deliver(payloadOf(call, delivery.event)));
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
      };
      calls.set(call.executionId, call);
      start(call);
      const active = [...calls.values()].filter(isActive).length;
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
      call.stoppedAtMs = Math.max(elapsed, call.plan.statuses[call.reached]?.at ?? 0);
      for (const [handle, { event }] of call.timers) {
        if (event > call.reached) {
          unschedule(handle);
          call.timers.delete(handle);
        }
      }
      deliver(payloadOf(call, -1));
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
