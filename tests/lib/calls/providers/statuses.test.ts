import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BOLNA_STATUSES,
  type BolnaStatus,
  classifyStatus,
  retryOnce,
  TERMINAL_RANK,
} from '../../../../src/lib/calls/providers';

const TABLE: [BolnaStatus, { terminal: boolean; outcome: string | null; retryable: boolean }][] = [
  ['scheduled', { terminal: false, outcome: null, retryable: false }],
  ['queued', { terminal: false, outcome: null, retryable: false }],
  ['rescheduled', { terminal: false, outcome: null, retryable: false }],
  ['initiated', { terminal: false, outcome: null, retryable: false }],
  ['ringing', { terminal: false, outcome: null, retryable: false }],
  ['in-progress', { terminal: false, outcome: null, retryable: false }],
  ['call-disconnected', { terminal: false, outcome: null, retryable: false }],
  ['completed', { terminal: true, outcome: 'completed', retryable: false }],
  ['balance-low', { terminal: true, outcome: 'balance_low', retryable: false }],
  ['busy', { terminal: true, outcome: 'busy', retryable: true }],
  ['no-answer', { terminal: true, outcome: 'no_answer', retryable: true }],
  ['canceled', { terminal: true, outcome: 'canceled', retryable: false }],
  ['failed', { terminal: true, outcome: 'failed', retryable: true }],
  ['stopped', { terminal: true, outcome: 'failed', retryable: true }],
  ['error', { terminal: true, outcome: 'failed', retryable: true }],
];

/** Bolna's normal flow (§1.5), each step a later rank than the one before. */
const FLOW: BolnaStatus[] = ['queued', 'initiated', 'ringing', 'in-progress', 'call-disconnected'];
const TERMINALS = BOLNA_STATUSES.filter((s) => classifyStatus(s).terminal);

/** What the dispatcher does with a delivery: keep it only if it outranks the stored status. */
const apply = (stored: BolnaStatus, next: BolnaStatus) =>
  classifyStatus(next).rank > classifyStatus(stored).rank ? next : stored;

describe('classifyStatus', () => {
  it('covers every Bolna status', () => {
    expect(TABLE.map(([s]) => s).sort()).toEqual([...BOLNA_STATUSES].sort());
  });

  it.each(TABLE)('classifies %s', (status, expected) => {
    expect(classifyStatus(status)).toMatchObject(expected);
  });

  it('reads completed with answered_by_voice_mail as voicemail, not retried', () => {
    expect(classifyStatus('completed', { answeredByVoicemail: true })).toMatchObject({
      terminal: true,
      outcome: 'voicemail',
      retryable: false,
    });
    expect(classifyStatus('completed', { answeredByVoicemail: false }).outcome).toBe('completed');
    // The flag only matters for completed.
    expect(classifyStatus('no-answer', { answeredByVoicemail: true }).outcome).toBe('no_answer');
  });

  it('retries failed, error and stopped once; no-answer and busy on schedule', () => {
    expect(BOLNA_STATUSES.filter(retryOnce)).toEqual(['failed', 'stopped', 'error']);
    expect(retryOnce('no-answer')).toBe(false);
    expect(retryOnce('busy')).toBe(false);
  });

  it('returns a fresh object each time', () => {
    const info = classifyStatus('ringing');
    info.rank = 99;
    expect(classifyStatus('ringing').rank).not.toBe(99);
  });
});

describe('status rank', () => {
  it('rises strictly along queued → initiated → ringing → in-progress → call-disconnected → terminal', () => {
    const ranks = [...FLOW, 'completed' as const].map((s) => classifyStatus(s).rank);
    for (let i = 1; i < ranks.length; i += 1) expect(ranks[i]).toBeGreaterThan(ranks[i - 1] ?? 0);
  });

  it('puts every terminal status at the top rank and every other status below it', () => {
    for (const status of BOLNA_STATUSES) {
      const { terminal, rank } = classifyStatus(status);
      if (terminal) expect(rank).toBe(TERMINAL_RANK);
      else expect(rank).toBeLessThan(TERMINAL_RANK);
    }
    expect(classifyStatus('scheduled').rank).toBe(classifyStatus('queued').rank);
    expect(classifyStatus('rescheduled').rank).toBe(classifyStatus('queued').rank);
  });

  it('ends every shuffled, duplicated delivery of a call at its terminal status', () => {
    const sequence = fc
      .tuple(fc.integer({ min: 0, max: FLOW.length }), fc.constantFrom(...TERMINALS))
      .chain(([reached, terminal]) => {
        const statuses = [...FLOW.slice(0, reached), terminal];
        return fc.record({
          terminal: fc.constant(terminal),
          deliveries: fc.array(fc.constantFrom(...statuses), { maxLength: 12 }).chain((extra) =>
            fc.shuffledSubarray([...statuses, ...extra], {
              minLength: statuses.length + extra.length,
            }),
          ),
        });
      });
    fc.assert(
      fc.property(sequence, ({ terminal, deliveries }) => {
        const final = deliveries.reduce<BolnaStatus>(apply, 'queued');
        expect(final).toBe(terminal);
      }),
    );
  });

  it('never moves a call backwards, whatever arrives', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...BOLNA_STATUSES), { maxLength: 30 }), (deliveries) => {
        let stored: BolnaStatus = 'queued';
        for (const next of deliveries) {
          const after = apply(stored, next);
          expect(classifyStatus(after).rank).toBeGreaterThanOrEqual(classifyStatus(stored).rank);
          if (classifyStatus(stored).terminal) expect(after).toBe(stored);
          stored = after;
        }
      }),
    );
  });
});
