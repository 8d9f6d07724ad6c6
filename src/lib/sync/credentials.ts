import { and, asc, eq, isNotNull, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { tenants } from '../db/schema';
import { openSecret } from '../secrets/seal';

export interface TenantSyncTarget {
  id: string;
  slug: string;
  name: string;
  timezone: string;
}

/** Active tenants that have a ClientTether web key: the hourly job syncs exactly these. */
export function listTenantsToSync(db: DbOrTx): Promise<TenantSyncTarget[]> {
  return db
    .select({ id: tenants.id, slug: tenants.slug, name: tenants.name, timezone: tenants.timezone })
    .from(tenants)
    .where(and(isNull(tenants.deactivatedAt), isNotNull(tenants.clienttetherWebKeySealed)))
    .orderBy(asc(tenants.slug));
}

export type CredentialsResult =
  | { ok: true; webKey: string; accessToken: string }
  | { ok: false; reason: string };

/**
 * Opens a tenant's sealed ClientTether credentials. The access token is the
 * tenant's own if set, else the deployment's enterprise token.
 */
export async function loadClientTetherCredentials(
  db: DbOrTx,
  secretsKey: string | undefined,
  tenantId: string,
  fallbackAccessToken: string | undefined,
): Promise<CredentialsResult> {
  const [row] = await db
    .select({
      webKey: tenants.clienttetherWebKeySealed,
      accessToken: tenants.clienttetherAccessTokenSealed,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!row?.webKey)
    return { ok: false, reason: 'No ClientTether web key is set for this workspace.' };
  if (!secretsKey)
    return { ok: false, reason: 'SECRETS_KEY is not configured, so credentials cannot be read.' };
  try {
    const webKey = openSecret(secretsKey, row.webKey);
    const accessToken = row.accessToken
      ? openSecret(secretsKey, row.accessToken)
      : fallbackAccessToken;
    if (!accessToken) return { ok: false, reason: 'No ClientTether access token is set.' };
    return { ok: true, webKey, accessToken };
  } catch {
    return {
      ok: false,
      reason: 'The stored ClientTether credentials could not be decrypted with SECRETS_KEY.',
    };
  }
}
