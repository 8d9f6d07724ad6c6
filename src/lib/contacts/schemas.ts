import { z } from 'zod';
import { TimeZone } from '../tenants/schemas';

export const CONTACT_SORTS = ['name', 'company', 'created'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];
export const CONTACT_SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type ContactSortDirection = (typeof CONTACT_SORT_DIRECTIONS)[number];
export const BULK_ACTIONS = ['delete', 'opt_out'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export const CONTACT_LIMITS = {
  name: 200,
  email: 254,
  company: 200,
  phone: 40,
  tags: 50,
  tag: 50,
  attributes: 50,
  attributeKey: 100,
  attributeValue: 1000,
  search: 200,
  bulkIds: 1000,
} as const;
export const CONTACTS_PAGE_SIZE = { default: 50, max: 100 } as const;

// Postgres text can't hold NUL, and other control characters are never meant.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .refine((s) => !CONTROL.test(s), `${label} contains characters that aren't allowed`);
/** Blank and null both mean "none"; absent means "unchanged" (PATCH). */
const optionalText = (label: string, max: number) =>
  text(label, max)
    .nullable()
    .transform((s) => s || null)
    .optional();

const Name = text('Name', CONTACT_LIMITS.name);
const Phone = text('Phone', CONTACT_LIMITS.phone).min(1, 'Phone is required');
const EmailAddress = z.email();
const EmailInput = text('Email', CONTACT_LIMITS.email)
  .refine((s) => s === '' || EmailAddress.safeParse(s).success, 'Enter a valid email address')
  .nullable()
  .transform((s) => s || null)
  .optional();
/** Blank or null: inferred from the phone number. */
const TimeZoneInput = z
  .string({ error: 'Time zone must be text' })
  .trim()
  .refine(
    (s) => s === '' || TimeZone.safeParse(s).success,
    'Unknown time zone; use a name like America/New_York',
  )
  .nullable()
  .transform((s) => s || null)
  .optional();
const Tags = z
  .array(
    // Tags travel through CSV as one cell split on these characters (imports, exports).
    text('A tag', CONTACT_LIMITS.tag).refine(
      (t) => !/[;,|]/.test(t),
      'A tag can’t contain , ; or |',
    ),
    { error: 'Tags must be a list of words' },
  )
  .max(CONTACT_LIMITS.tags, `At most ${CONTACT_LIMITS.tags} tags`)
  .transform((tags) => [...new Set(tags.filter(Boolean))]);
const Attributes = z
  .record(
    text('A field name', CONTACT_LIMITS.attributeKey).min(1, 'A field name is empty'),
    text('A field value', CONTACT_LIMITS.attributeValue),
    { error: 'Other fields must map names to text' },
  )
  .refine(
    (map) => Object.keys(map).length <= CONTACT_LIMITS.attributes,
    `At most ${CONTACT_LIMITS.attributes} other fields`,
  );

export const CreateContactInput = z.object({
  name: Name.default(''),
  phone: Phone,
  email: EmailInput,
  company: optionalText('Company', CONTACT_LIMITS.company),
  timezone: TimeZoneInput,
  tags: Tags.default([]),
  attributes: Attributes.default({}),
});
export type CreateContactInput = z.input<typeof CreateContactInput>;

/**
 * Only the fields given change. `optedOut: true` opts the contact out; there
 * is no opting back in, so `false` is refused.
 */
export const UpdateContactInput = z.object({
  name: Name.optional(),
  phone: Phone.optional(),
  email: EmailInput,
  company: optionalText('Company', CONTACT_LIMITS.company),
  timezone: TimeZoneInput,
  tags: Tags.optional(),
  attributes: Attributes.optional(),
  optedOut: z.literal(true, { error: 'An opted-out contact stays opted out' }).optional(),
});
export type UpdateContactInput = z.input<typeof UpdateContactInput>;

export const BulkContactsInput = z.object({
  action: z.enum(BULK_ACTIONS, { error: `action must be one of ${BULK_ACTIONS.join(', ')}` }),
  ids: z
    .array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER), {
      error: 'ids must be a list of contact ids',
    })
    .min(1, 'Select at least one contact')
    .max(CONTACT_LIMITS.bulkIds, `At most ${CONTACT_LIMITS.bulkIds} contacts at a time`)
    .transform((ids) => [...new Set(ids)]),
});
export type BulkContactsInput = z.input<typeof BulkContactsInput>;

/** The list's query string: `?q&sort&dir&after&limit`. */
export const ListContactsQuery = z.object({
  q: z
    .string()
    .max(CONTACT_LIMITS.search, `q must be at most ${CONTACT_LIMITS.search} characters`)
    .optional(),
  sort: z
    .enum(CONTACT_SORTS, { error: `sort must be one of ${CONTACT_SORTS.join(', ')}` })
    .default('name'),
  dir: z.enum(CONTACT_SORT_DIRECTIONS, { error: 'dir must be one of asc, desc' }).default('asc'),
  after: z.string().max(1000, 'after is not a valid cursor').optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, `limit must be a whole number from 1 to ${CONTACTS_PAGE_SIZE.max}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, `limit must be a whole number from 1 to ${CONTACTS_PAGE_SIZE.max}`)
        .max(
          CONTACTS_PAGE_SIZE.max,
          `limit must be a whole number from 1 to ${CONTACTS_PAGE_SIZE.max}`,
        ),
    )
    .default(CONTACTS_PAGE_SIZE.default),
});
export type ListContactsQuery = z.output<typeof ListContactsQuery>;

export { fieldErrors } from '../api/field-errors';
