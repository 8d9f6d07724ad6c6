import { sql } from 'drizzle-orm';
import { generateSessionToken, hashToken } from '../auth/tokens';
import type { DbOrTx } from '../db/client';
import { tenantCallSettings } from '../db/schema';
import { withTenant } from '../db/tenant';

/**
 * Bolna signs nothing (reference §0.4), so a tenant's webhooks are recognised
 * by an unguessable token in the URL path (160 random bits). Only its SHA-256
 * is stored; issuing a new one revokes the old. Returned once, to be pasted
 * into the provider's webhook setting.
 */
export async function issueWebhookToken(db: DbOrTx, tenantId: string): Promise<string> {
  const token = generateSessionToken();
  const webhookTokenHash = hashToken(token);
  await withTenant(db, tenantId, (tx) =>
    tx
      .insert(tenantCallSettings)
      .values({ tenantId, webhookTokenHash })
      .onConflictDoUpdate({
        target: tenantCallSettings.tenantId,
        set: { webhookTokenHash, updatedAt: new Date() },
      }),
  );
  return token;
}

/** The tenant a webhook path token belongs to, or null (any malformed or revoked token). */
export async function tenantForWebhookToken(db: DbOrTx, token: string): Promise<string | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const [row] = await db.execute<{ tenant_id: string | null }>(
    sql`select tenant_for_webhook_token(${hashToken(token)}) as tenant_id`,
  );
  return row?.tenant_id ?? null;
}
