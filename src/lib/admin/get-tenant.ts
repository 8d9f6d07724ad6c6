import { eq, sql } from 'drizzle-orm';
import { readPhoneRegion } from '../contacts/phone-region';
import type { DbOrTx } from '../db/client';
import { type CallProviderName, tenantCallSettings, tenants } from '../db/schema';
import { withTenant } from '../db/tenant';
import type { HotListRule } from '../sync/aggregates';
import { readHotListRule } from '../sync/hot-list-rule';
import { readCallProvider } from './call-provider';
import { UUID } from './uuid';

export interface AdminTenantView {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  defaultPhoneRegion: string;
  deactivatedAt: Date | null;
  createdAt: Date;
  hotListRule: HotListRule;
  callProvider: CallProviderName;
  /** Whether each secret is set — the values never leave the database. */
  secrets: { clienttetherWebKey: boolean; clienttetherAccessToken: boolean; bolnaApiKey: boolean };
}

export async function getAdminTenant(
  db: DbOrTx,
  tenantId: string,
): Promise<AdminTenantView | null> {
  if (!UUID.test(tenantId)) return null;
  const [row] = await db
    .select({
      id: tenants.id,
      name: tenants.name,
      slug: tenants.slug,
      timezone: tenants.timezone,
      deactivatedAt: tenants.deactivatedAt,
      createdAt: tenants.createdAt,
      // Only whether each secret is set is read: the sealed values stay in the database.
      webKeySet: sql<boolean>`${tenants.clienttetherWebKeySealed} is not null`,
      accessTokenSet: sql<boolean>`${tenants.clienttetherAccessTokenSealed} is not null`,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  if (!row) return null;
  const scoped = await withTenant(db, tenantId, async (tx) => {
    const [call] = await tx
      .select({ set: sql<boolean>`${tenantCallSettings.bolnaApiKeySealed} is not null` })
      .from(tenantCallSettings)
      .where(eq(tenantCallSettings.tenantId, tenantId));
    return {
      hotListRule: await readHotListRule(tx, tenantId),
      callProvider: await readCallProvider(tx, tenantId),
      region: await readPhoneRegion(tx, tenantId),
      bolnaApiKey: call?.set === true,
    };
  });
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    timezone: row.timezone,
    defaultPhoneRegion: scoped.region,
    deactivatedAt: row.deactivatedAt,
    createdAt: row.createdAt,
    hotListRule: scoped.hotListRule,
    callProvider: scoped.callProvider,
    secrets: {
      clienttetherWebKey: row.webKeySet === true,
      clienttetherAccessToken: row.accessTokenSet === true,
      bolnaApiKey: scoped.bolnaApiKey,
    },
  };
}
