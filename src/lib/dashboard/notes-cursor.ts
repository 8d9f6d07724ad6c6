import { z } from 'zod';

/**
 * Where a notes page ended: the last note's (noted_at, ct_id), the notes
 * list's sort key. `notedAt` is Postgres's own text for the timestamp
 * (microseconds kept), so the next page starts exactly after that note.
 */
export interface NotesCursor {
  notedAt: string | null;
  id: string;
}

// What to_json(timestamptz) prints: ISO 8601 with up to 6 fractional digits and an offset.
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d(:\d\d){0,2})$/;
const Payload = z.tuple([z.string().regex(TIMESTAMP).nullable(), z.string().min(1).max(200)]);

/** The opaque `after` parameter: base64url of `[notedAt, id]`. */
export function encodeNotesCursor(cursor: NotesCursor): string {
  return Buffer.from(JSON.stringify([cursor.notedAt, cursor.id])).toString('base64url');
}

/** The cursor inside `after`, or null when it is not one this module wrote. */
export function decodeNotesCursor(after: string): NotesCursor | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(after)) return null;
  try {
    const parsed = Payload.safeParse(JSON.parse(Buffer.from(after, 'base64url').toString('utf8')));
    return parsed.success ? { notedAt: parsed.data[0], id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}
