import { and, eq } from 'drizzle-orm';
import type { CountryCode } from 'libphonenumber-js';
import type { z } from 'zod';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { contacts } from '../db/schema';
import { normalizePhone } from './phone';
import { fieldErrors } from './schemas';
import type { ContactRow } from './to-view';

export const DUPLICATE_PHONE = 'A contact with this phone number already exists';
export const CONTACT_NOT_FOUND = 'Contact not found';

/** Parses a request body; anything but a JSON object is refused before zod sees it. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): Result<z.output<S>> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return fail('VALIDATION', 'Send a JSON object');
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const { message, fields } = fieldErrors(parsed.error);
  return fail('VALIDATION', message, { fields });
}

/** A contact id from a URL or a body; anything else matches no contact. */
export function parseContactId(raw: unknown): number | null {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^[1-9]\d{0,15}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}

/** The E.164 form of a typed number, or a VALIDATION failure that says why on the phone field. */
export function contactPhone(raw: string, region: CountryCode): Result<string> {
  const phone = normalizePhone(raw, region);
  if (phone.ok) return ok(phone.e164);
  const hint = phone.suggestion ? ` Did you mean ${phone.suggestion}?` : '';
  const message = `${phone.message}${hint}`;
  return fail('VALIDATION', message, { fields: { phone: message } });
}

/** The tenant's contact with this id, or undefined: a foreign id and a missing one look the same. */
export async function findContact(
  tx: DbOrTx,
  tenantId: string,
  id: number,
): Promise<ContactRow | undefined> {
  const [row] = await tx
    .select()
    .from(contacts)
    .where(and(eq(contacts.tenantId, tenantId), eq(contacts.id, id)));
  return row;
}

/** True for a unique violation, looking through drizzle's wrapper (`cause`). */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
