import type { CallPlan } from './simulated-plan';
import type { BolnaStatus, PlaceCallInput } from './types';

/** What the simulator knows about one call, enough to draw any of its payloads. */
export interface CallRecord {
  executionId: string;
  input: PlaceCallInput;
  userData: Record<string, string>;
  createdAt: Date;
  plan: CallPlan;
}

/** A v4-shaped id: 20 random hex digits, then a counter so a constant `random` can't collide. */
export function simulatedExecutionId(random: () => number, sequence: number): string {
  const hex = Array.from({ length: 20 }, () => Math.floor(random() * 16).toString(16)).join('');
  const tail = sequence.toString(16).padStart(12, '0').slice(-12);
  const variant = (8 + (Number.parseInt(hex[15] ?? '0', 16) % 4)).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(12, 15)}-${variant}${hex.slice(16, 19)}-${tail}`;
}

const seconds = (ms: number) => Math.round(ms / 1000);

const HANGUP: Partial<Record<BolnaStatus, { by: string; reason: string }>> = {
  'call-disconnected': { by: 'Callee', reason: 'Call recipient hung up' },
  completed: { by: 'Callee', reason: 'Call recipient hung up' },
  'no-answer': { by: 'Carrier', reason: 'No answer' },
  busy: { by: 'Carrier', reason: 'Busy' },
  failed: { by: 'Carrier', reason: 'Call failed' },
  stopped: { by: 'API Request', reason: 'Stopped by API request' },
};

function telephonyDuration(record: CallRecord, status: BolnaStatus): number | null {
  const { ringMs, talkMs } = record.plan;
  if (status === 'call-disconnected' || status === 'completed') return seconds(ringMs + talkMs);
  if (status === 'no-answer') return seconds(ringMs);
  if (status === 'busy' || status === 'failed' || status === 'stopped') return 0;
  return null;
}

/**
 * A Bolna execution object (call-providers.md §1.6) for `status`, reached `atMs`
 * after the call was placed. Like Bolna, cost, transcript and recording are
 * empty until `completed`.
 */
export function executionPayload(record: CallRecord, status: BolnaStatus, atMs: number) {
  const { executionId, input, createdAt, plan } = record;
  const done = status === 'completed';
  const hangup = HANGUP[status];
  return {
    id: executionId,
    agent_id: input.agentId,
    batch_id: null,
    status,
    error_message: status === 'failed' ? 'Simulated telephony failure' : null,
    conversation_duration: done ? seconds(plan.talkMs) : 0,
    total_cost: done ? Math.max(1, seconds(plan.talkMs)) : 0,
    answered_by_voice_mail: false,
    transcript: done ? 'assistant: Hello, this is a simulated call.\nuser: Thanks, bye.' : null,
    extracted_data: null,
    created_at: createdAt.toISOString(),
    updated_at: new Date(createdAt.getTime() + atMs).toISOString(),
    context_details: {
      recipient_data: { ...record.userData },
      recipient_phone_number: input.to,
    },
    telephony_data: {
      to_number: input.to,
      from_number: input.from ?? '+15550100000',
      duration: telephonyDuration(record, status),
      ring_duration: status === 'queued' || status === 'initiated' ? null : seconds(plan.ringMs),
      hangup_by: hangup?.by ?? null,
      hangup_reason: hangup?.reason ?? null,
      recording_url: done ? `https://simulator.invalid/recordings/${executionId}.mp3` : null,
      provider_call_id: `SIM${executionId.replace(/-/g, '').slice(0, 16)}`,
      call_type: 'outbound',
      provider: 'simulated',
    },
  };
}
