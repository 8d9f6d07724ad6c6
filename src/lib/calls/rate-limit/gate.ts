import type { Database } from '../../db/client';
import type { CallProviderName } from '../../db/schema';
import type { PlaceCallResult } from '../providers/types';
import { type Admission, admitProviderCalls, recordProviderOutcome } from './buckets';
import { fallbackKeyId, type KeyIdResolver } from './keys';
import { DEFAULT_RATE_LIMITED_MS, PROBE_RECHECK_MS, RATE_LIMITS } from './policy';

/** One provider key's part of a claimed batch, shared by its calls while they are dialled. */
export interface KeyGate {
  keyId: string;
  /**
   * Whether a success must be written back: the key had failures when
   * admitted, the batch carries the breaker's probe, or one of the batch's
   * calls failed since. Otherwise a success changes nothing and costs no
   * round trip.
   */
  reportSuccess: boolean;
}

/** Why a claimed call goes back to the queue without being dialled. */
export type HoldReason = 'rate_limited' | 'circuit_open';

export interface GatedBatch<T> {
  admitted: { call: T; gate: KeyGate }[];
  held: { call: T; notBefore: Date; reason: HoldReason }[];
}

/**
 * Splits a claimed batch into the calls that may be dialled now and the ones
 * that wait, key by key: one admit_provider_calls per provider key (breaker,
 * then tokens for the whole group at once), in claim order, so the batch's
 * best calls go first. Waiting calls come back one token apart, from the
 * first token nobody was promised yet; calls held by the breaker come back
 * when it lets a probe through (or, while another dispatcher's probe is out,
 * a little later).
 */
export async function gateBatch<T extends { tenantId: string; provider: CallProviderName }>(
  db: Database,
  keyIdOf: KeyIdResolver | undefined,
  calls: T[],
  at: Date,
): Promise<GatedBatch<T>> {
  const keyIds = new Map<string, Promise<string>>();
  const keyIdFor = (call: T) => {
    const pair = `${call.tenantId}\u0000${call.provider}`;
    let keyId = keyIds.get(pair);
    if (!keyId) {
      keyId = resolveKeyId(keyIdOf, call.tenantId, call.provider);
      keyIds.set(pair, keyId);
    }
    return keyId;
  };
  const ids = await Promise.all(calls.map(keyIdFor));
  const groups = new Map<string, { provider: CallProviderName; calls: T[] }>();
  calls.forEach((call, i) => {
    const id = ids[i] ?? fallbackKeyId(call.tenantId, call.provider);
    const group = groups.get(id) ?? { provider: call.provider, calls: [] };
    group.calls.push(call);
    groups.set(id, group);
  });

  const batch: GatedBatch<T> = { admitted: [], held: [] };
  await Promise.all(
    [...groups].map(async ([keyId, group]) => {
      const admission = await admitProviderCalls(
        db,
        keyId,
        RATE_LIMITS[group.provider],
        group.calls.length,
        at,
      );
      const gate: KeyGate = {
        keyId,
        reportSuccess: admission.state === 'probe' || admission.failures > 0,
      };
      group.calls.forEach((call, i) => {
        if (i < admission.granted) batch.admitted.push({ call, gate });
        else batch.held.push({ call, ...holdUntil(admission, i - admission.granted, at) });
      });
    }),
  );
  return batch;
}

async function resolveKeyId(
  keyIdOf: KeyIdResolver | undefined,
  tenantId: string,
  provider: CallProviderName,
): Promise<string> {
  if (!keyIdOf) return fallbackKeyId(tenantId, provider);
  try {
    return await keyIdOf(tenantId, provider);
  } catch {
    // The dial itself will fail the same way (and count as the provider's failure).
    return fallbackKeyId(tenantId, provider);
  }
}

/** When the `nth` waiting call of a key's group may come back. */
function holdUntil(
  admission: Admission,
  nth: number,
  at: Date,
): { notBefore: Date; reason: HoldReason } {
  const retryAt = admission.retryAt?.getTime() ?? at.getTime() + PROBE_RECHECK_MS;
  switch (admission.state) {
    case 'rate_limited':
      return {
        notBefore: new Date(retryAt + Math.ceil(nth * admission.spacingMs)),
        reason: 'rate_limited',
      };
    case 'open':
      return { notBefore: new Date(retryAt), reason: 'circuit_open' };
    default:
      // A probe is out (ours or another dispatcher's): look again soon, at most when its lease ends.
      return {
        notBefore: new Date(Math.min(retryAt, at.getTime() + PROBE_RECHECK_MS)),
        reason: 'circuit_open',
      };
  }
}

/**
 * Tells the key's breaker and bucket what came of one dial: a 5xx, timeout or
 * network error counts towards opening the breaker; a 429 empties the bucket
 * for its Retry-After; any other answer shows the provider is up. Bookkeeping
 * only: a lost observation must not lose the dial's own record, so errors are
 * swallowed (the next outcome corrects the breaker).
 */
export async function reportDial(
  db: Database,
  gate: KeyGate,
  result: PlaceCallResult,
  at: Date,
): Promise<void> {
  try {
    if (!result.ok && result.failure === 'retryable') {
      gate.reportSuccess = true;
      await recordProviderOutcome(db, gate.keyId, { kind: 'failure' }, at);
    } else if (!result.ok && result.failure === 'rate_limited') {
      const retryAfterMs = result.retryAfterMs ?? DEFAULT_RATE_LIMITED_MS;
      await recordProviderOutcome(db, gate.keyId, { kind: 'rate_limited', retryAfterMs }, at);
    } else if (gate.reportSuccess) {
      gate.reportSuccess = false;
      await recordProviderOutcome(db, gate.keyId, { kind: 'success' }, at);
    }
  } catch {
    // See above.
  }
}
