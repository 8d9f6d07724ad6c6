import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { tenants } from '../db/schema';
import { sealSecret } from '../secrets/seal';

const Secret = z.string().trim().min(1).max(512);
export const ClientTetherCredentials = z
  .object({ webKey: Secret.optional(), accessToken: Secret.optional() })
  .refine(
    (c) => c.webKey !== undefined || c.accessToken !== undefined,
    'Enter a web key or an access token',
  );

/**
 * Stores (or rotates) a tenant's ClientTether web key and/or access token,
 * sealed with the deployment's SECRETS_KEY. Only what is given changes.
 */
export async function setClientTetherCredentials(
  db: DbOrTx,
  secretsKey: string | undefined,
  tenantId: string,
  input: unknown,
): Promise<Result<ClientTetherCredentialStatus>> {
  if (!secretsKey) return fail('PRECONDITION_FAILED', 'SECRETS_KEY is not configured');
  const parsed = ClientTetherCredentials.safeParse(input);
  if (!parsed.success)
    return fail('VALIDATION', parsed.error.issues[0]?.message ?? 'Invalid credentials');
  const { webKey, accessToken } = parsed.data;
  const updated = await db
    .update(tenants)
    .set({
      ...(webKey ? { clienttetherWebKeySealed: sealSecret(secretsKey, webKey) } : {}),
      ...(accessToken
        ? { clienttetherAccessTokenSealed: sealSecret(secretsKey, accessToken) }
        : {}),
      updatedAt: new Date(),
    })
    .where(eq(tenants.id, tenantId))
    .returning({
      webKey: tenants.clienttetherWebKeySealed,
      accessToken: tenants.clienttetherAccessTokenSealed,
    });
  const [row] = updated;
  if (!row) return fail('NOT_FOUND', 'Tenant not found');
  return ok({ webKeySet: Boolean(row.webKey), accessTokenSet: Boolean(row.accessToken) });
}

export interface ClientTetherCredentialStatus {
  webKeySet: boolean;
  /** The tenant's own token; a deployment-wide token may stand in when false. */
  accessTokenSet: boolean;
}

/** Whether credentials are set — never their values. */
export async function getClientTetherCredentialStatus(
  db: DbOrTx,
  tenantId: string,
): Promise<ClientTetherCredentialStatus> {
  const [row] = await db
    .select({
      webKey: tenants.clienttetherWebKeySealed,
      accessToken: tenants.clienttetherAccessTokenSealed,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return { webKeySet: Boolean(row?.webKey), accessTokenSet: Boolean(row?.accessToken) };
}
