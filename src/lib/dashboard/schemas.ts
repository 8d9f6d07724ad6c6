import { z } from 'zod';
import { fieldErrors } from '../api/field-errors';
import { fail, ok, type Result } from '../api/result';
import { decodeNotesCursor } from './notes-cursor';

export const LEAD_RANGES = ['7', '30', '90', 'all'] as const;
export type LeadRange = (typeof LEAD_RANGES)[number];

export const HOT_LIST_SORTS = [
  'candidate',
  'market',
  'units',
  'weightedIff',
  'stage',
  'likelihood',
] as const;
export type HotListSort = (typeof HOT_LIST_SORTS)[number];
export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/** Page sizes: the default a page shows and the most one request may ask for. */
export const HOT_LIST_PAGE_SIZE = { default: 25, max: 100 } as const;
export const NOTES_LIMIT = { default: 50, max: 100 } as const;
export const SCHEDULE_LIMIT = { default: 100, max: 500 } as const;
export const SEARCH_MAX_LENGTH = 200;

/** A whole number from a query string, within [min, max], with a message naming the parameter. */
function whole(name: string, min: number, max: number) {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,9}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
}

function oneOf<const T extends readonly [string, ...string[]]>(name: string, values: T) {
  return z.enum(values, { error: () => `${name} must be one of ${values.join(', ')}` });
}

export const LeadsQuery = z.object({
  range: oneOf('range', LEAD_RANGES).default('30'),
});
export type LeadsQuery = z.output<typeof LeadsQuery>;

export const HotListQuery = z.object({
  sort: oneOf('sort', HOT_LIST_SORTS).default('weightedIff'),
  dir: oneOf('dir', SORT_DIRECTIONS).default('desc'),
  page: whole('page', 1, 100_000).default(1),
  pageSize: whole('pageSize', 1, HOT_LIST_PAGE_SIZE.max).default(HOT_LIST_PAGE_SIZE.default),
});
export type HotListQuery = z.output<typeof HotListQuery>;

const AFTER_MESSAGE = "after must be a previous page's nextAfter";

/**
 * Notes pages are keyset pages: `after` is the previous page's `nextAfter`.
 * A deep `offset` made Postgres skip that many notes on every request, so
 * only `offset=0` (the first page) is still accepted.
 */
export const NotesQuery = z
  .object({
    search: z
      .string()
      .max(SEARCH_MAX_LENGTH, `search must be at most ${SEARCH_MAX_LENGTH} characters`)
      .optional(),
    limit: whole('limit', 1, NOTES_LIMIT.max).default(NOTES_LIMIT.default),
    after: z
      .string()
      .transform((value, ctx) => {
        const cursor = decodeNotesCursor(value);
        if (!cursor) ctx.addIssue({ code: 'custom', message: AFTER_MESSAGE });
        return cursor ?? z.NEVER;
      })
      .optional(),
    offset: z
      .string()
      .refine((value) => /^0+$/.test(value), {
        message:
          "offset is no longer supported: pass after (the previous page's nextAfter) instead",
      })
      .optional(),
  })
  .transform(({ offset: _offset, ...query }) => query);
export type NotesQuery = z.output<typeof NotesQuery>;

export const ScheduleQuery = z.object({
  limit: whole('limit', 1, SCHEDULE_LIMIT.max).default(SCHEDULE_LIMIT.default),
});
export type ScheduleQuery = z.output<typeof ScheduleQuery>;

/**
 * Parses a query string with one of the schemas above. Blank values count as
 * absent (an empty form field), unknown parameters are ignored, and a bad
 * value is a VALIDATION failure whose message names the parameter.
 */
export function parseQuery<S extends z.ZodType>(
  schema: S,
  params: URLSearchParams,
): Result<z.output<S>> {
  const input: Record<string, string> = {};
  for (const [key, value] of params) {
    const trimmed = value.trim();
    if (trimmed !== '' && !(key in input)) input[key] = trimmed;
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const { message, fields } = fieldErrors(parsed.error, { fallback: 'query' });
  return fail('VALIDATION', message, { fields });
}
