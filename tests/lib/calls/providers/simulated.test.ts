import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BolnaExecutionPayload,
  type BolnaStatus,
  classifyStatus,
  createSimulatedProvider,
  executionCallRef,
  FORGET_ENDED_CALLS_AFTER_MS,
  type PlaceCallInput,
  type SimulatedProviderOptions,
} from '../../../../src/lib/calls/providers';
import { createRng } from '../../../../src/lib/clienttether/simulator/prng';

const AGENT = 'agent-1';
const input = (callRef: string, to = '+14155550123'): PlaceCallInput => ({
  agentId: AGENT,
  to,
  from: null,
  callRef,
  userData: { first_name: 'Dana' },
});

type Posted = Record<string, unknown> & { id: string; status: BolnaStatus };

/** A simulator on fake timers with fixed timings: ring 1 s, talk 5 s, processing 2 s. */
function simulator(options: Partial<SimulatedProviderOptions> = {}) {
  const posted: Posted[] = [];
  const sim = createSimulatedProvider({
    postWebhook: async (payload) => {
      posted.push(payload as Posted);
    },
    ringMs: [1_000, 1_000],
    talkMs: [5_000, 5_000],
    processingMs: [2_000, 2_000],
    random: createRng(42).next,
    ...options,
  });
  const statusesOf = (id: string) => posted.filter((p) => p.id === id).map((p) => p.status);
  return { sim, posted, statusesOf };
}

async function place(sim: ReturnType<typeof simulator>['sim'], callRef = 'cq_1#1', to?: string) {
  const result = await sim.placeCall(input(callRef, to));
  if (!result.ok) throw new Error(`placeCall refused: ${result.message}`);
  return result.executionId;
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-05-01T10:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('simulated provider: status sequences', () => {
  const sequences: [string, BolnaStatus[]][] = [
    ['completed', ['initiated', 'ringing', 'in-progress', 'call-disconnected', 'completed']],
    ['no-answer', ['initiated', 'ringing', 'no-answer']],
    ['busy', ['initiated', 'ringing', 'busy']],
    ['failed', ['initiated', 'failed']],
  ];

  it.each(sequences)('walks a %s call through Bolna’s statuses', async (outcome, expected) => {
    const { sim, statusesOf } = simulator({ outcomes: { [outcome]: 1 } });
    const id = await place(sim);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statusesOf(id)).toEqual(expected);
    expect(sim.calls()).toMatchObject([{ executionId: id, outcome, status: expected.at(-1) }]);
    expect(sim.stats()).toMatchObject({ placed: 1, delivered: expected.length });
    sim.close();
  });

  it('posts Bolna-shaped execution objects that our webhook schema reads', async () => {
    const { sim, posted } = simulator({ outcomes: { completed: 1 } });
    const id = await sim.placeCall({ ...input('cq_7#2'), from: '+14155550999' });
    await vi.advanceTimersByTimeAsync(60_000);
    for (const payload of posted) {
      const parsed = BolnaExecutionPayload.parse(payload);
      expect(executionCallRef(parsed)).toBe('cq_7#2');
    }
    const disconnected = posted.find((p) => p.status === 'call-disconnected');
    const completed = posted.find((p) => p.status === 'completed');
    // Like Bolna, call-disconnected arrives with the conversation not yet measured.
    expect(disconnected).toMatchObject({
      conversation_duration: 0,
      total_cost: 0,
      transcript: null,
    });
    expect(completed).toMatchObject({
      id: id.ok ? id.executionId : '',
      agent_id: AGENT,
      status: 'completed',
      conversation_duration: 5,
      answered_by_voice_mail: false,
      created_at: '2026-05-01T10:00:00.000Z',
      updated_at: '2026-05-01T10:00:08.000Z',
      context_details: {
        recipient_data: { first_name: 'Dana', switchboard_call_id: 'cq_7#2' },
        recipient_phone_number: '+14155550123',
      },
      telephony_data: {
        to_number: '+14155550123',
        from_number: '+14155550999',
        duration: 6,
        hangup_reason: 'Call recipient hung up',
      },
    });
  });

  it('spaces the statuses by the ring, talk and processing times', async () => {
    const { sim } = simulator({ outcomes: { completed: 1 } });
    const id = await place(sim);
    const statusAt = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms);
      const found = await sim.getExecution(id);
      return found.ok ? found.execution?.status : undefined;
    };
    expect(await statusAt(0)).toBe('initiated');
    expect(await statusAt(250)).toBe('ringing');
    expect(await statusAt(749)).toBe('ringing');
    expect(await statusAt(1)).toBe('in-progress');
    expect(await statusAt(5_000)).toBe('call-disconnected');
    expect(await statusAt(2_000)).toBe('completed');
  });

  it('picks outcomes by weight', async () => {
    const { sim } = simulator({ outcomes: { completed: 3, busy: 1 } });
    for (let i = 0; i < 400; i += 1) await place(sim, `cq_${i}#1`);
    const completed = sim.calls().filter((c) => c.outcome === 'completed').length;
    expect(completed).toBeGreaterThan(250);
    expect(completed).toBeLessThan(350);
    expect(sim.calls().every((c) => c.outcome === 'completed' || c.outcome === 'busy')).toBe(true);
    sim.close();
  });

  it('is deterministic for a given random stream', async () => {
    const run = async () => {
      const { sim, posted } = simulator({
        faults: { duplicateWebhookRate: 0.3, outOfOrderRate: 0.3, webhookDelayMs: [0, 500] },
        random: createRng(7).next,
      });
      for (let i = 0; i < 20; i += 1) await place(sim, `cq_${i}#1`);
      await vi.advanceTimersByTimeAsync(60_000);
      return posted.map((p) => `${p.id}:${p.status}`);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.length).toBeGreaterThan(40);
  });
});

describe('simulated provider: delivery faults', () => {
  it('delivers every status twice at a duplicate rate of 1', async () => {
    const { sim, statusesOf } = simulator({
      outcomes: { completed: 1 },
      faults: { duplicateWebhookRate: 1 },
    });
    const id = await place(sim);
    await vi.advanceTimersByTimeAsync(60_000);
    const seen = statusesOf(id);
    expect(seen).toHaveLength(10);
    expect(new Set(seen)).toEqual(
      new Set(['initiated', 'ringing', 'in-progress', 'call-disconnected', 'completed']),
    );
  });

  it('holds every delivery back past the next at an out-of-order rate of 1', async () => {
    const { sim, statusesOf } = simulator({
      outcomes: { completed: 1 },
      faults: { outOfOrderRate: 1 },
    });
    const id = await place(sim);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statusesOf(id)).toEqual([
      'completed',
      'call-disconnected',
      'in-progress',
      'ringing',
      'initiated',
    ]);
  });

  it('mixes order and duplicates, yet the rank rule always ends at the real final status', async () => {
    const { sim, statusesOf } = simulator({
      faults: { duplicateWebhookRate: 0.3, outOfOrderRate: 0.4, webhookDelayMs: [0, 3_000] },
    });
    const ids = [];
    for (let i = 0; i < 40; i += 1) ids.push(await place(sim, `cq_${i}#1`));
    await vi.advanceTimersByTimeAsync(120_000);
    let reordered = 0;
    let duplicated = 0;
    for (const id of ids) {
      const seen = statusesOf(id);
      const ranks = seen.map((s) => classifyStatus(s).rank);
      if (ranks.some((rank, i) => i > 0 && rank < (ranks[i - 1] ?? 0))) reordered += 1;
      if (new Set(seen).size < seen.length) duplicated += 1;
      const final = seen.reduce<BolnaStatus>(
        (stored, next) => (classifyStatus(next).rank > classifyStatus(stored).rank ? next : stored),
        'queued',
      );
      const found = await sim.getExecution(id);
      expect(found.ok && found.execution?.status).toBe(final);
    }
    expect(reordered).toBeGreaterThan(0);
    expect(duplicated).toBeGreaterThan(0);
  });

  it('delays deliveries while getExecution already shows the latest state', async () => {
    const { sim, statusesOf } = simulator({
      outcomes: { completed: 1 },
      faults: { webhookDelayMs: [10_000, 10_000] },
    });
    const id = await place(sim);
    await vi.advanceTimersByTimeAsync(6_500);
    expect(statusesOf(id)).toEqual([]);
    const found = await sim.getExecution(id);
    expect(found).toMatchObject({
      ok: true,
      execution: { executionId: id, status: 'call-disconnected' },
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(statusesOf(id)).toEqual(['initiated', 'ringing', 'in-progress', 'call-disconnected']);
  });

  it('refuses placeCall at the configured rate with the configured failure', async () => {
    const { sim, posted } = simulator({
      faults: { placeCallFailureRate: 1, failure: 'rate_limited' },
    });
    const result = await sim.placeCall(input('cq_1#1'));
    expect(result).toMatchObject({ ok: false, failure: 'rate_limited', retryAfterMs: 1_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(posted).toEqual([]);
    expect(sim.calls()).toEqual([]);
    expect(sim.stats()).toMatchObject({ placed: 0, refused: 1 });
  });

  it('defaults a refusal to retryable', async () => {
    const { sim } = simulator({ faults: { placeCallFailureRate: 1 } });
    expect(await sim.placeCall(input('cq_1#1'))).toMatchObject({ ok: false, failure: 'retryable' });
  });

  it('rejects a number that is not E.164', async () => {
    const { sim } = simulator();
    expect(await sim.placeCall(input('cq_1#1', '4155550123'))).toMatchObject({
      ok: false,
      failure: 'invalid_number',
    });
  });

  it('counts a webhook receiver that fails, and carries on', async () => {
    let calls = 0;
    const sim = createSimulatedProvider({
      postWebhook: async () => {
        calls += 1;
        throw new Error('receiver down');
      },
      outcomes: { busy: 1 },
      ringMs: [100, 100],
    });
    await sim.placeCall(input('cq_1#1'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toBe(3);
    expect(sim.stats()).toMatchObject({ delivered: 0, failedDeliveries: 3 });
  });
});

describe('simulated provider: lookups', () => {
  it('getExecution answers null for an unknown id', async () => {
    const { sim } = simulator();
    expect(await sim.getExecution('nope')).toEqual({ ok: true, execution: null });
  });

  it('getExecution reports queued before the first timer fires, with the raw payload', async () => {
    const { sim } = simulator({ outcomes: { completed: 1 } });
    const id = await place(sim);
    const found = await sim.getExecution(id);
    expect(found).toMatchObject({
      ok: true,
      execution: { executionId: id, status: 'queued', durationSeconds: 0, raw: { id } },
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await sim.getExecution(id)).toMatchObject({
      execution: { status: 'completed', durationSeconds: 5 },
    });
  });

  it('findExecutionByRef finds the call by its ref, agent and time', async () => {
    const { sim } = simulator();
    const since = new Date();
    await place(sim, 'cq_1#1');
    const second = await place(sim, 'cq_2#1');
    expect(await sim.findExecutionByRef(AGENT, 'cq_2#1', since)).toMatchObject({
      ok: true,
      execution: { executionId: second },
    });
    expect(await sim.findExecutionByRef(AGENT, 'cq_3#1', since)).toEqual({
      ok: true,
      execution: null,
    });
    expect(await sim.findExecutionByRef('agent-2', 'cq_2#1', since)).toEqual({
      ok: true,
      execution: null,
    });
    const later = new Date(Date.now() + 1);
    expect(await sim.findExecutionByRef(AGENT, 'cq_2#1', later)).toEqual({
      ok: true,
      execution: null,
    });
  });

  it('activeCalls lists calls until they reach a terminal status', async () => {
    const { sim } = simulator({ outcomes: { completed: 1 } });
    const ids = [await place(sim, 'a#1'), await place(sim, 'b#1'), await place(sim, 'c#1')];
    expect(sim.activeCalls().map((c) => c.executionId)).toEqual(ids);
    expect(sim.activeCalls()[0]).toMatchObject({
      callRef: 'a#1',
      to: '+14155550123',
      userData: { first_name: 'Dana', switchboard_call_id: 'a#1' },
    });
    // call-disconnected is not terminal: the slot is still taken.
    await vi.advanceTimersByTimeAsync(6_500);
    expect(sim.activeCalls().map((c) => c.status)).toEqual(Array(3).fill('call-disconnected'));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(sim.activeCalls()).toEqual([]);
    expect(sim.stats().peakActive).toBe(3);
  });
});

describe('simulated provider: stopCall and close', () => {
  it('stops a ringing call: posts stopped and nothing after', async () => {
    const { sim, statusesOf } = simulator({ outcomes: { completed: 1 } });
    const id = await place(sim);
    await vi.advanceTimersByTimeAsync(500);
    expect(await sim.stopCall(id)).toEqual({ ok: true });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(statusesOf(id)).toEqual(['initiated', 'ringing', 'stopped']);
    expect(await sim.getExecution(id)).toMatchObject({ execution: { status: 'stopped' } });
    expect(sim.activeCalls()).toEqual([]);
  });

  it('cannot stop an answered call or an unknown one', async () => {
    const { sim } = simulator({ outcomes: { completed: 1 } });
    const id = await place(sim);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await sim.stopCall(id)).toEqual({
      ok: false,
      message: 'Simulated Bolna: cannot stop a call that is in-progress',
    });
    expect(await sim.stopCall('nope')).toMatchObject({ ok: false });
  });

  it('close() cancels every pending timer and refuses new calls', async () => {
    const { sim, posted } = simulator({
      outcomes: { completed: 1 },
      faults: { duplicateWebhookRate: 0.5, webhookDelayMs: [0, 1_000] },
    });
    for (let i = 0; i < 5; i += 1) await place(sim, `cq_${i}#1`);
    await vi.advanceTimersByTimeAsync(300);
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    const before = posted.length;
    sim.close();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(posted).toHaveLength(before);
    expect(await sim.placeCall(input('late#1'))).toMatchObject({ ok: false, failure: 'retryable' });
  });

  it('uses injected timer functions', async () => {
    vi.useRealTimers();
    const pending = new Map<number, () => void>();
    let next = 0;
    const fakeSet = ((fn: () => void) => {
      next += 1;
      pending.set(next, fn);
      return next;
    }) as unknown as typeof setTimeout;
    const fakeClear = ((handle: number) => {
      pending.delete(handle);
    }) as unknown as typeof clearTimeout;
    const { sim } = simulator({
      setTimeout: fakeSet,
      clearTimeout: fakeClear,
      outcomes: { busy: 1 },
    });
    await place(sim);
    expect(pending.size).toBe(6); // three statuses, three deliveries
    sim.close();
    expect(pending.size).toBe(0);
  });

  it('runs on real timers with short times', async () => {
    vi.useRealTimers();
    const { sim, statusesOf } = simulator({
      outcomes: { completed: 1 },
      ringMs: [5, 10],
      talkMs: [5, 10],
      processingMs: [5, 10],
    });
    const id = await place(sim);
    await vi.waitFor(() => expect(statusesOf(id).at(-1)).toBe('completed'), { timeout: 2_000 });
    sim.close();
  });
});

describe('simulated provider: memory', () => {
  it('forgets an ended call five minutes after its webhooks were accepted, and keeps one whose webhook was refused', async () => {
    let refuse = false;
    const { sim } = simulator({
      postWebhook: async () => {
        if (refuse) throw new Error('receiver down');
      },
      outcomes: { completed: 1 },
    });
    const kept = await place(sim, 'cq_1#1');
    await vi.advanceTimersByTimeAsync(60_000);
    refuse = true;
    const refused = await place(sim, 'cq_2#1');
    await vi.advanceTimersByTimeAsync(60_000);
    refuse = false;
    // Not yet five minutes since either ended: a lease recovery may still look them up.
    const later = await place(sim, 'cq_3#1');
    expect(sim.calls()).toHaveLength(3);

    await vi.advanceTimersByTimeAsync(FORGET_ENDED_CALLS_AFTER_MS);
    await place(sim, 'cq_4#1');
    // cq_3 ended less than five minutes ago; cq_4 is new.
    expect(sim.calls().map((c) => c.callRef)).toEqual(['cq_2#1', 'cq_3#1', 'cq_4#1']);
    expect(await sim.getExecution(kept)).toEqual({ ok: true, execution: null });
    expect(later).not.toBe(refused);
    expect(await sim.getExecution(refused)).toMatchObject({
      ok: true,
      execution: { status: 'completed' },
    });
    expect(sim.stats().peakActive).toBe(1);
  });
});
