import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { contacts } from '../db/schema';
import { withTenant } from '../db/tenant';
import { csvLine } from './imports/csv-cells';

const BATCH = 5_000;
/** Custom attribute columns in an export; a workspace with more gets the first 50 by name. */
const MAX_ATTRIBUTE_COLUMNS = 50;

/**
 * The workspace's contacts as CSV, produced batch by batch (keyset on id) so
 * an export of a million contacts never sits in memory. The columns are the
 * ones the importer reads, then one per custom attribute, then opt-out and
 * creation dates (which an import ignores); cells are formula-safe, so
 * importing an export gives the same contacts back.
 */
export async function* exportContacts(db: DbOrTx, tenantId: string): AsyncGenerator<string> {
  const keys = await withTenant(db, tenantId, async (tx) => {
    const rows = await tx.execute<{ key: string }>(
      sql`select distinct jsonb_object_keys(attributes) as key from contacts
          where tenant_id = ${tenantId} order by 1 limit ${MAX_ATTRIBUTE_COLUMNS}`,
    );
    return rows.map((r) => r.key);
  });
  yield csvLine([
    'name',
    'phone',
    'email',
    'company',
    'timezone',
    'tags',
    ...keys,
    'opted_out_at',
    'created_at',
  ]);
  let after = 0;
  for (;;) {
    const batch = await withTenant(db, tenantId, (tx) =>
      tx
        .select()
        .from(contacts)
        .where(and(eq(contacts.tenantId, tenantId), gt(contacts.id, after)))
        .orderBy(asc(contacts.id))
        .limit(BATCH),
    );
    if (batch.length === 0) return;
    let chunk = '';
    for (const c of batch) {
      chunk += csvLine([
        c.name,
        c.phoneE164,
        c.email,
        c.company,
        c.timezone,
        c.tags.join('; '),
        ...keys.map((k) => c.attributes[k] ?? ''),
        c.optedOutAt?.toISOString() ?? '',
        c.createdAt.toISOString(),
      ]);
    }
    yield chunk;
    after = batch[batch.length - 1]?.id ?? after;
    if (batch.length < BATCH) return;
  }
}
