import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { contacts } from '../db/schema';
import { withTenant } from '../db/tenant';

/**
 * Opts the tenant's contacts among `ids` out of calls, for good: contacts
 * already opted out keep their original date. Returns how many were opted out now.
 */
export async function optOutContacts(db: DbOrTx, tenantId: string, ids: number[]): Promise<number> {
  if (!ids.length) return 0;
  const changed = await withTenant(db, tenantId, (tx) =>
    tx
      .update(contacts)
      .set({ optedOutAt: sql`now()`, updatedAt: sql`now()` })
      .where(
        and(
          eq(contacts.tenantId, tenantId),
          inArray(contacts.id, ids),
          isNull(contacts.optedOutAt),
        ),
      )
      .returning({ id: contacts.id }),
  );
  return changed.length;
}
