import type postgres from 'postgres';
import type { CallProviderName } from '../../db/schema';

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
}

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
  }));
}
