import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { tenants } from '../db/schema';
import { type PublicTenant, publicTenantColumns, TenantSlug } from './schemas';

export async function findTenantBySlug(
  db: DbOrTx,
  slug: string,
): Promise<PublicTenant | undefined> {
  const parsed = TenantSlug.safeParse(slug);
  if (!parsed.success) return undefined;
  const [tenant] = await db
    .select(publicTenantColumns)
    .from(tenants)
    .where(eq(tenants.slug, parsed.data));
  return tenant;
}
