import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { tenants } from '../db/schema';
import { sealSecret } from '../secrets/seal';

export const ClientTetherCredentials = z.object({
  webKey: z.string().trim().min(1).max(512),
  accessToken: z.string().trim().min(1).max(512),
});

/** Stores a tenant's ClientTether keys sealed with the deployment's SECRETS_KEY. */
export async function setClientTetherCredentials(
  db: DbOrTx,
  secretsKey: string | undefined,
  tenantId: string,
  input: unknown,
): Promise<Result<void>> {
  if (!secretsKey) return fail('PRECONDITION_FAILED', 'SECRETS_KEY is not configured');
  const parsed = ClientTetherCredentials.safeParse(input);
  if (!parsed.success)
    return fail('VALIDATION', 'Both the web key and the access token are required');
  const updated = await db
    .update(tenants)
    .set({
      clienttetherWebKeySealed: sealSecret(secretsKey, parsed.data.webKey),
      clienttetherAccessTokenSealed: sealSecret(secretsKey, parsed.data.accessToken),
      updatedAt: new Date(),
    })
    .where(eq(tenants.id, tenantId))
    .returning({ id: tenants.id });
  return updated.length ? ok(undefined) : fail('NOT_FOUND', 'Tenant not found');
}
