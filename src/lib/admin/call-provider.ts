import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { CALL_PROVIDERS, type CallProviderName, tenantSettings } from '../db/schema';

/** The tenant's default call provider (tenant_settings), which new campaigns start from. */
export const CALL_PROVIDER_SETTING = 'call_provider';

export async function readCallProvider(tx: DbOrTx, tenantId: string): Promise<CallProviderName> {
  const [row] = await tx
    .select({ value: tenantSettings.value })
    .from(tenantSettings)
    .where(
      and(eq(tenantSettings.tenantId, tenantId), eq(tenantSettings.key, CALL_PROVIDER_SETTING)),
    );
  const value = row?.value;
  return CALL_PROVIDERS.includes(value as CallProviderName)
    ? (value as CallProviderName)
    : 'simulated';
}
