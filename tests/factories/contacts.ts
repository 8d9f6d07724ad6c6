/**
 * Contacts written straight into a tenant's table, through withTenant (the
 * app role under RLS), as the CRUD verbs and the importer would leave them.
 */

import { type ContactRow, toContactView } from '../../src/lib/contacts/to-view';
import type { ContactView } from '../../src/lib/contacts/types';
import type { DbOrTx } from '../../src/lib/db/client';
import { contacts } from '../../src/lib/db/schema';
import { withTenant } from '../../src/lib/db/tenant';

export type ContactOverrides = Partial<Omit<typeof contacts.$inferInsert, 'tenantId' | 'id'>>;

let serial = 0;
/** A Washington DC number unique within this test file (+1 202 5xx xxxx). */
export function uniquePhone(): string {
  serial += 1;
  return `+1202${5_000_000 + serial}`;
}

function row(tenantId: string, overrides: ContactOverrides) {
  const phoneE164 = overrides.phoneE164 ?? uniquePhone();
  return {
    name: 'Pat Lee',
    phoneRaw: phoneE164,
    ...overrides,
    phoneE164,
    tenantId,
  };
}

export async function makeContact(
  db: DbOrTx,
  tenantId: string,
  overrides: ContactOverrides = {},
): Promise<ContactView> {
  const [created] = await withTenant(db, tenantId, (tx) =>
    tx.insert(contacts).values(row(tenantId, overrides)).returning(),
  );
  if (!created) throw new Error('factory: contact not inserted');
  return toContactView(created);
}

/** Many contacts in a few statements (bulk inserts of 1,000). */
export async function makeContacts(
  db: DbOrTx,
  tenantId: string,
  specs: ContactOverrides[],
): Promise<ContactRow[]> {
  return withTenant(db, tenantId, async (tx) => {
    const out: ContactRow[] = [];
    for (let i = 0; i < specs.length; i += 1000) {
      const chunk = specs.slice(i, i + 1000).map((s) => row(tenantId, s));
      out.push(...(await tx.insert(contacts).values(chunk).returning()));
    }
    return out;
  });
}
