import type { BolnaExecutionPayload } from './payload';
import type { BolnaStatus } from './types';

export {
  BolnaExecutionPayload,
  executionCallRef,
  executionDurationSeconds,
  toSnapshot,
} from './payload';

export const CALL_OUTCOMES = [
  'completed',
  'no_answer',
  'busy',
  'failed',
  'canceled',
  'voicemail',
  'balance_low',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export interface StatusInfo {
  terminal: boolean;
  /**
   * Apply a delivery only when its rank is above the stored one: a late or
   * duplicate delivery then never moves a call backwards, and the first
   * terminal status wins (every terminal status shares the top rank).
   */
  rank: number;
  outcome: CallOutcome | null;
  retryable: boolean;
}

/** The top rank: every terminal status has it. */
export const TERMINAL_RANK = 5;

const PENDING = (rank: number): StatusInfo => ({
  terminal: false,
  rank,
  outcome: null,
  retryable: false,
});
const FINAL = (outcome: CallOutcome, retryable: boolean): StatusInfo => ({
  terminal: true,
  rank: TERMINAL_RANK,
  outcome,
  retryable,
});

const TABLE: Record<BolnaStatus, StatusInfo> = {
  // Before dialling; `rescheduled` = Bolna's guardrails deferred it, not a failure.
  scheduled: PENDING(0),
  queued: PENDING(0),
  rescheduled: PENDING(0),
  initiated: PENDING(1),
  ringing: PENDING(2),
  'in-progress': PENDING(3),
  // Arrives before `completed`, with cost, transcript and recording still empty (§0.2).
  'call-disconnected': PENDING(4),
  completed: FINAL('completed', false),
  'no-answer': FINAL('no_answer', true),
  busy: FINAL('busy', true),
  // Bolna's "sometimes" class: retry once, then give up (see retryOnce).
  failed: FINAL('failed', true),
  error: FINAL('failed', true),
  stopped: FINAL('failed', true),
  canceled: FINAL('canceled', false),
  // Never retried: the wallet needs topping up, so the tenant's campaigns pause.
  'balance-low': FINAL('balance_low', false),
};

/**
 * Bolna's classification (§1.5): no-answer/busy retryable; failed/error/stopped
 * retry once; balance-low never (pause); call-disconnected NOT terminal;
 * completed with answered_by_voice_mail → voicemail. `completed` alone does not
 * prove a conversation: check the duration too (§0.3).
 */
export function classifyStatus(
  status: BolnaStatus,
  extra?: { answeredByVoicemail?: boolean },
): StatusInfo {
  const info = TABLE[status];
  if (status === 'completed' && extra?.answeredByVoicemail)
    return { ...info, outcome: 'voicemail' };
  return { ...info };
}

/** classifyStatus for a webhook's or a lookup's execution object, voicemail flag included. */
export function classifyExecution(payload: BolnaExecutionPayload): StatusInfo {
  return classifyStatus(payload.status, {
    answeredByVoicemail: payload.answered_by_voice_mail === true,
  });
}

/** Statuses Bolna retries only once before quarantining the number (§1.5). */
export function retryOnce(status: BolnaStatus): boolean {
  return status === 'failed' || status === 'error' || status === 'stopped';
}

/** A status retried once whose retry this was (`attempt` counts it): the call fails for good. */
export function spentItsOneRetry(status: BolnaStatus, attempt: number): boolean {
  return retryOnce(status) && attempt >= 2;
}
