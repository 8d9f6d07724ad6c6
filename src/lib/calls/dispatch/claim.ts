import type postgres from 'postgres';
import type { CallingWindow } from '../../campaigns/schedule';
import { windowOf } from '../../campaigns/zone-schedule';
import type { CallProviderName } from '../../db/schema';

/** Whether the row's contact may still be called: deleted (FK set null) or opted out since it was queued. */
export type ContactState = 'callable' | 'contact_deleted' | 'opted_out';

export interface ClaimedCall {
  tenantId: string;
  id: number;
  campaignId: string;
  userId: string;
  phoneE164: string;
  contactName: string;
  timezone: string;
  attempt: number;
  notAfter: Date | null;
  provider: CallProviderName;
  agentId: string;
  fromNumber: string | null;
  /** The campaign as the claim saw it: what dialling re-checks without reading it again. */
  window: CallingWindow;
  endAt: Date | null;
  contactState: ContactState;
  /**
   * The last instant a dial of this claim may start: the lease minus the time
   * one provider request may take (DIAL_REQUEST_ALLOWANCE_MS, at most half the
   * lease). Recovery looks a row up with the provider only after its lease has
   * expired, so a dial that starts by then has its answer (or its timeout)
   * before anyone asks, and cannot be placed behind recovery's back.
   */
  dialBy: Date;
}

/** Bolna's request timeout (15 s, placeCall never retries) plus a margin. */
export const DIAL_REQUEST_ALLOWANCE_MS = 20_000;

export interface ClaimOptions {
  /** Most calls to claim in one go (the system's free slots cap it too). */
  max: number;
  /** How long a claimed row is ours before recovery may take it back. */
  leaseSeconds: number;
  /** A row is claimed only if its window stays open at least this long. */
  windowMarginSeconds: number;
}

/** One claim (claim_due_calls in drizzle/0008: caps, fairness and slots are kept there). */
export async function claimDueCalls(
  sql: postgres.Sql,
  options: ClaimOptions,
  now: Date,
): Promise<ClaimedCall[]> {
  const rows = await sql<Record<string, unknown>[]>`
    select * from claim_due_calls(${options.max}, ${`${options.leaseSeconds} seconds`}::interval,
                                  ${`${options.windowMarginSeconds} seconds`}::interval,
                                  ${now.toISOString()}::timestamptz)`;
  const leaseMs = options.leaseSeconds * 1000;
  const dialBy = new Date(
    now.getTime() + leaseMs - Math.min(DIAL_REQUEST_ALLOWANCE_MS, leaseMs / 2),
  );
  return rows.map((r) => ({
    tenantId: String(r.tenant_id),
    id: Number(r.id),
    campaignId: String(r.campaign_id),
    userId: String(r.user_id),
    phoneE164: String(r.phone_e164),
    contactName: String(r.contact_name ?? ''),
    timezone: String(r.timezone),
    attempt: Number(r.attempt),
    notAfter: r.not_after ? new Date(r.not_after as string) : null,
    provider: r.provider as CallProviderName,
    agentId: String(r.agent_id),
    fromNumber: (r.from_number as string | null) ?? null,
    window: windowOf({
      windowDays: (r.window_days as number[]).map(Number),
      windowStartMinute: Number(r.window_start_minute),
      windowEndMinute: Number(r.window_end_minute),
    }),
    endAt: r.end_at ? new Date(r.end_at as string) : null,
    contactState: r.contact_state as ContactState,
    dialBy,
  }));
}
