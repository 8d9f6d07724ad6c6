import type { CampaignRow } from '../campaigns/campaign-view';
import type { TenantTx } from '../db/tenant';
import { classifyStatus, spentItsOneRetry } from './providers/statuses';
import type { BolnaStatus, ExecutionSnapshot } from './providers/types';
import { finishCall, type LockedCall, recordProviderStatus, retryOrFail } from './transitions';

export interface ExecutionUpdate {
  status: BolnaStatus;
  answeredByVoicemail: boolean;
  durationSeconds: number | null;
}

/** What the provider's own record of a call says, as an update (recovery, confirmation). */
export function executionUpdateOf(execution: ExecutionSnapshot): ExecutionUpdate {
  const raw = execution.raw as { answered_by_voice_mail?: unknown } | null;
  return {
    status: execution.status,
    answeredByVoicemail: raw?.answered_by_voice_mail === true,
    durationSeconds: execution.durationSeconds,
  };
}

/** The error a call ended by `balance-low` keeps. */
export const BALANCE_ERROR = 'The provider account is out of balance';

export type Applied = 'ignored' | 'progress' | 'finished' | 'retried';

/**
 * Applies a provider status to a dialled call. Ranks only move forward, so a
 * late or repeated delivery changes nothing; only a final status frees the
 * slot (Bolna's `call-disconnected` is not final). No-answer and busy are
 * retried after the campaign's delay while attempts remain; failed/error/
 * stopped once; balance-low ends the call (the caller then pauses the campaign).
 */
export async function applyExecution(
  tx: TenantTx,
  call: LockedCall,
  campaign: CampaignRow,
  update: ExecutionUpdate,
  now: Date,
): Promise<Applied> {
  const info = classifyStatus(update.status, { answeredByVoicemail: update.answeredByVoicemail });
  if (info.rank <= call.providerStatusRank) return 'ignored';
  await recordProviderStatus(tx, call, update.status, info.rank, update.durationSeconds);
  if (call.status !== 'in_progress' && call.status !== 'dispatching') return 'ignored';
  if (!info.terminal || !info.outcome) return 'progress';
  const retryAt = new Date(now.getTime() + campaign.retryDelayMinutes * 60_000);
  switch (info.outcome) {
    case 'completed':
    case 'voicemail':
      await finishCall(tx, call, 'completed', info.outcome);
      return 'finished';
    case 'canceled':
      await finishCall(tx, call, 'cancelled', 'canceled');
      return 'finished';
    case 'balance_low':
      // The caller pauses the campaign after this transaction (pausing takes the
      // dispatcher's lock, which must come before any row lock).
      await finishCall(tx, call, 'failed', 'balance_low', BALANCE_ERROR);
      return 'finished';
    default: {
      if (spentItsOneRetry(update.status, call.attempt)) {
        await finishCall(tx, call, 'failed', info.outcome);
        return 'finished';
      }
      const result = await retryOrFail(tx, call, campaign, {
        notBefore: retryAt,
        countAttempt: true,
        outcome: info.outcome,
        error: null,
      });
      return result === 'retried' ? 'retried' : 'finished';
    }
  }
}
