import { and, eq, sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { contacts } from '../db/schema';
import { withTenant } from '../db/tenant';
import {
  CONTACT_NOT_FOUND,
  contactPhone,
  DUPLICATE_PHONE,
  findContact,
  isUniqueViolation,
  parseContactId,
  parseInput,
} from './internal';
import { inferTimezone } from './phone';
import { readPhoneRegion } from './phone-region';
import { UpdateContactInput } from './schemas';
import { toContactView } from './to-view';
import type { ContactView } from './types';

/**
 * Changes the fields given. A new phone is normalised and must stay unique in
 * the tenant; a cleared time zone is inferred again from the number. Opting
 * out is one-way: `opted_out_at`, once set, is never cleared or moved.
 */
export async function updateContact(
  db: DbOrTx,
  tenantId: string,
  rawId: unknown,
  input: unknown,
): Promise<Result<ContactView>> {
  const id = parseContactId(rawId);
  if (id === null) return fail('NOT_FOUND', CONTACT_NOT_FOUND);
  const parsed = parseInput(UpdateContactInput, input);
  if (!parsed.ok) return parsed;
  const { phone, optedOut, timezone, ...fields } = parsed.data;
  try {
    return await withTenant(db, tenantId, async (tx): Promise<Result<ContactView>> => {
      const current = await findContact(tx, tenantId, id);
      if (!current) return fail('NOT_FOUND', CONTACT_NOT_FOUND);
      let phoneE164 = current.phoneE164;
      if (phone !== undefined) {
        const e164 = contactPhone(phone, await readPhoneRegion(tx, tenantId));
        if (!e164.ok) return e164;
        phoneE164 = e164.data;
      }
      // A zone that only came from the old number follows the new one.
      const followsPhone =
        timezone === undefined &&
        phoneE164 !== current.phoneE164 &&
        current.timezone === inferTimezone(current.phoneE164);
      const zone = followsPhone ? null : timezone;
      const [row] = await tx
        .update(contacts)
        .set({
          ...fields,
          ...(phone !== undefined ? { phoneE164, phoneRaw: phone } : {}),
          ...(zone !== undefined ? { timezone: zone ?? inferTimezone(phoneE164) } : {}),
          ...(optedOut ? { optedOutAt: sql`coalesce(${contacts.optedOutAt}, now())` } : {}),
          updatedAt: sql`now()`,
        })
        .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)))
        .returning();
      return row ? ok(toContactView(row)) : fail('NOT_FOUND', CONTACT_NOT_FOUND);
    });
  } catch (error) {
    // Another contact has the number: the statement failed, so nothing changed.
    if (isUniqueViolation(error)) {
      return fail('CONFLICT', DUPLICATE_PHONE, { fields: { phone: DUPLICATE_PHONE } });
    }
    throw error;
  }
}
