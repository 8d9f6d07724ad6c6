import { and, eq, ne } from 'drizzle-orm';
import { generateSessionToken, hashToken } from '../auth/tokens';
import { PHONE_REGION_SETTING } from '../contacts/phone-region';
import type { Transaction } from '../db/client';
import { tenantCallSettings, tenantSettings, tenants } from '../db/schema';
import { withTenant } from '../db/tenant';
import { sealSecret } from '../secrets/seal';
import { HOT_LIST_SETTING } from '../sync/hot-list-rule';
import { CALL_PROVIDER_SETTING } from './call-provider';
import type { TenantFields } from './schemas';

type Fields = Partial<import('zod').infer<typeof TenantFields>>;

export interface AppliedChanges {
  /** Non-secret fields that were given. */
  changed: string[];
  /** Secrets that were replaced — names only, never values. */
  rotated: string[];
}

/**
 * Writes parsed tenant fields inside the caller's transaction: plain columns
 * on `tenants`, preferences in `tenant_settings`, sealed secrets on `tenants`
 * (ClientTether) and `tenant_call_settings` (Bolna). The caller has checked
 * that a SECRETS_KEY exists when a secret is given.
 */
export async function applyTenantFields(
  tx: Transaction,
  secretsKey: string | undefined,
  tenantId: string,
  fields: Fields,
): Promise<AppliedChanges> {
  const changed: string[] = [];
  const rotated: string[] = [];
  const seal = (value: string) => {
    if (!secretsKey) throw new Error('applyTenantFields: secret given without SECRETS_KEY');
    return sealSecret(secretsKey, value);
  };

  const columns: Partial<typeof tenants.$inferInsert> = {};
  for (const key of ['name', 'slug', 'timezone', 'defaultPhoneRegion'] as const) {
    if (fields[key] !== undefined) {
      columns[key] = fields[key];
      changed.push(key);
    }
  }
  if (fields.clienttetherWebKey) {
    columns.clienttetherWebKeySealed = seal(fields.clienttetherWebKey);
    rotated.push('clienttetherWebKey');
  }
  if (fields.clienttetherAccessToken) {
    columns.clienttetherAccessTokenSealed = seal(fields.clienttetherAccessToken);
    rotated.push('clienttetherAccessToken');
  }
  if (Object.keys(columns).length) {
    await tx
      .update(tenants)
      .set({ ...columns, updatedAt: new Date() })
      .where(eq(tenants.id, tenantId));
  }

  const settings: [string, unknown][] = [];
  // The phone-region setting wins over the column when both exist (contacts/phone-region), so both move.
  if (fields.defaultPhoneRegion) settings.push([PHONE_REGION_SETTING, fields.defaultPhoneRegion]);
  if (fields.hotListRule) {
    settings.push([HOT_LIST_SETTING, fields.hotListRule]);
    changed.push('hotListRule');
  }
  if (fields.callProvider) {
    settings.push([CALL_PROVIDER_SETTING, fields.callProvider]);
    changed.push('callProvider');
  }
  const bolnaKey = fields.bolnaApiKey;
  if (settings.length || bolnaKey) {
    await withTenant(tx, tenantId, async (ttx) => {
      for (const [key, value] of settings) {
        await ttx
          .insert(tenantSettings)
          .values({ tenantId, key, value })
          .onConflictDoUpdate({
            target: [tenantSettings.tenantId, tenantSettings.key],
            set: { value, updatedAt: new Date() },
          });
      }
      if (bolnaKey) {
        const sealed = seal(bolnaKey);
        // A first row needs a webhook token hash: a random one nobody holds, until
        // a real token is issued (calls/webhook-token.ts), which replaces it.
        await ttx
          .insert(tenantCallSettings)
          .values({
            tenantId,
            bolnaApiKeySealed: sealed,
            webhookTokenHash: hashToken(generateSessionToken()),
          })
          .onConflictDoUpdate({
            target: tenantCallSettings.tenantId,
            set: { bolnaApiKeySealed: sealed, updatedAt: new Date() },
          });
        rotated.push('bolnaApiKey');
      }
    });
  }
  return { changed, rotated };
}

/** True when another tenant already uses `slug`. */
export async function slugTaken(tx: Transaction, slug: string, exceptTenantId?: string) {
  const [row] = await tx
    .select({ id: tenants.id })
    .from(tenants)
    .where(
      exceptTenantId
        ? and(eq(tenants.slug, slug), ne(tenants.id, exceptTenantId))
        : eq(tenants.slug, slug),
    );
  return Boolean(row);
}
