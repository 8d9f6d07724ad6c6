import { z } from 'zod';
import { BOLNA_STATUSES, CALL_REF_KEY, type ExecutionSnapshot } from './types';

/*
 * Bolna's execution object, as its webhook POSTs it and GET /executions/{id}
 * returns it (call-providers.md §1.6). Loose on purpose: only `id` and `status`
 * can reject a body; any other field of an unexpected type reads as absent, and
 * unknown keys are kept, so a schema change at Bolna never drops a delivery.
 */

/** The doc example has a numeric id and a hyphenated batch id, so ids are opaque strings. */
const opaqueId = z.union([z.string().min(1), z.number().finite()]).transform(String);

/** The legacy docs spell `balance_low`; case and separators are normalised before the enum check. */
export const BolnaStatusField = z
  .string()
  .transform((value) =>
    value
      .trim()
      .toLowerCase()
      .replace(/[_\s]+/g, '-'),
  )
  .pipe(z.enum(BOLNA_STATUSES));

/** A number, or a numeric string; anything else is null. */
const looseNumber = z
  .unknown()
  .optional() // zod 4 rejects a missing key under a bare unknown→transform
  .transform((value): number | null => {
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value !== 'string' || value.trim() === '') return null;
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  });

const looseText = z
  .unknown()
  .optional()
  .transform((value): string | null =>
    typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null,
  );

const looseBoolean = z
  .unknown()
  .optional()
  .transform((value): boolean | null => {
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    return null;
  });

/** An object with the given fields, or undefined when absent or not an object. */
const looseObject = <S extends z.ZodRawShape>(shape: S) =>
  z.object(shape).loose().optional().catch(undefined);

const TelephonyData = looseObject({
  duration: looseNumber,
  to_number: looseText,
  from_number: looseText,
  recording_url: looseText,
  provider_call_id: looseText,
  call_type: looseText,
  provider: looseText,
  hangup_by: looseText,
  hangup_reason: looseText,
  hangup_provider_code: looseText,
  ring_duration: looseNumber,
});

const ContextDetails = looseObject({
  recipient_data: z.record(z.string(), z.unknown()).optional().catch(undefined),
  recipient_phone_number: looseText,
  user_data: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

export const BolnaExecutionPayload = z
  .object({
    id: opaqueId,
    status: BolnaStatusField,
    agent_id: looseText,
    batch_id: looseText,
    error_message: looseText,
    conversation_duration: looseNumber,
    /** Older docs' name for conversation_duration. */
    conversation_time: looseNumber,
    total_cost: looseNumber,
    answered_by_voice_mail: looseBoolean,
    created_at: looseText,
    updated_at: looseText,
    user_data: z.record(z.string(), z.unknown()).optional().catch(undefined),
    context_details: ContextDetails,
    telephony_data: TelephonyData,
  })
  .loose();
export type BolnaExecutionPayload = z.infer<typeof BolnaExecutionPayload>;

/** Seconds of conversation, falling back to the older name, then to the telephony leg's length. */
export function executionDurationSeconds(payload: BolnaExecutionPayload): number | null {
  return (
    payload.conversation_duration ??
    payload.conversation_time ??
    payload.telephony_data?.duration ??
    null
  );
}

/** The `switchboard_call_id` we sent in user_data, wherever this payload echoes it. */
export function executionCallRef(payload: BolnaExecutionPayload): string | null {
  const context = payload.context_details;
  const candidates = [context?.recipient_data, context?.user_data, payload.user_data];
  for (const data of candidates) {
    const ref = data?.[CALL_REF_KEY];
    if (typeof ref === 'string' || typeof ref === 'number') return String(ref);
  }
  return null;
}

export function toSnapshot(payload: BolnaExecutionPayload, raw: unknown): ExecutionSnapshot {
  return {
    executionId: payload.id,
    status: payload.status,
    durationSeconds: executionDurationSeconds(payload),
    raw,
  };
}
