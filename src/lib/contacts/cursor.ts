import { fail, ok, type Result } from '../api/result';
import type { ContactSort, ContactSortDirection } from './schemas';

/** Where a page ended: the last row's sort key (none when sorting by date added) and id. */
export interface ContactCursor {
  key: string | null;
  id: number;
}

const INVALID = 'after is not a valid cursor: start again from the first page';

/** Opaque to clients: base64url JSON of the order it belongs to and the last row's key and id. */
export function encodeCursor(
  sort: ContactSort,
  dir: ContactSortDirection,
  cursor: ContactCursor,
): string {
  return Buffer.from(JSON.stringify([sort, dir, cursor.key, cursor.id])).toString('base64url');
}

/**
 * Reads a cursor back for the same sort and direction. Anything else (forged,
 * truncated, from another order) is a VALIDATION failure, never a query error.
 */
export function decodeCursor(
  raw: string,
  sort: ContactSort,
  dir: ContactSortDirection,
): Result<ContactCursor> {
  const invalid = fail('VALIDATION', INVALID, { fields: { after: INVALID } });
  if (!/^[A-Za-z0-9_-]{1,1000}$/.test(raw)) return invalid;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return invalid;
  }
  if (!Array.isArray(value) || value.length !== 4) return invalid;
  const [s, d, key, id] = value as unknown[];
  if (s !== sort || d !== dir) return invalid;
  if (!Number.isSafeInteger(id) || (id as number) < 0) return invalid;
  const keyed = sort !== 'created';
  if (keyed ? typeof key !== 'string' || key.length > 1000 || key.includes('\0') : key !== null) {
    return invalid;
  }
  return ok({ key: key as string | null, id: id as number });
}
