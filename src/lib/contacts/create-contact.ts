import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { contacts } from '../db/schema';
import { withTenant } from '../db/tenant';
import { contactPhone, DUPLICATE_PHONE, parseInput } from './internal';
import { inferTimezone } from './phone';
import { readPhoneRegion } from './phone-region';
import { CreateContactInput } from './schemas';
import { toContactView } from './to-view';
import type { ContactView } from './types';

/**
 * Adds one contact by hand. The phone is read in the tenant's region and must
 * be new to the tenant; the time zone, when not given, comes from the number.
 */
export async function createContact(
  db: DbOrTx,
  tenantId: string,
  input: unknown,
): Promise<Result<ContactView>> {
  const parsed = parseInput(CreateContactInput, input);
  if (!parsed.ok) return parsed;
  const { phone, ...fields } = parsed.data;
  return withTenant(db, tenantId, async (tx) => {
    const e164 = contactPhone(phone, await readPhoneRegion(tx, tenantId));
    if (!e164.ok) return e164;
    const [row] = await tx
      .insert(contacts)
      .values({
        ...fields,
        tenantId,
        phoneE164: e164.data,
        phoneRaw: phone,
        email: fields.email ?? null,
        company: fields.company ?? null,
        timezone: fields.timezone ?? inferTimezone(e164.data),
        source: 'manual',
      })
      // The unique index decides, so two people adding the same number at once get one contact.
      .onConflictDoNothing({ target: [contacts.tenantId, contacts.phoneE164] })
      .returning();
    if (!row) return fail('CONFLICT', DUPLICATE_PHONE, { fields: { phone: DUPLICATE_PHONE } });
    return ok(toContactView(row));
  });
}
