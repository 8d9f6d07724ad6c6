/**
 * Maps a CSV header row onto contact fields. Spreadsheets name the same thing
 * many ways, so each field has synonyms; matching ignores case, spaces,
 * hyphens and dots. Any other column is kept as a custom attribute.
 */
export type ContactField =
  | 'phone'
  | 'name'
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'company'
  | 'timezone'
  | 'tags';

const SYNONYMS: Record<ContactField, readonly string[]> = {
  phone: [
    'phone',
    'phone_number',
    'phonenumber',
    'contact_number',
    'mobile',
    'mobile_number',
    'mobile_phone',
    'cell',
    'cell_phone',
    'cellphone',
    'telephone',
    'tel',
    'number',
  ],
  name: ['name', 'full_name', 'fullname', 'contact_name', 'contact'],
  firstName: ['first_name', 'firstname', 'first', 'given_name'],
  lastName: ['last_name', 'lastname', 'last', 'surname', 'family_name'],
  email: ['email', 'email_address', 'e_mail', 'mail'],
  company: ['company', 'company_name', 'organization', 'organisation', 'business', 'account'],
  timezone: ['timezone', 'time_zone', 'tz'],
  tags: ['tags', 'tag', 'labels'],
};

/** Columns our own export writes that an import must not store as custom attributes. */
const SYSTEM_COLUMNS = new Set([
  'id',
  'opted_out',
  'opted_out_at',
  'created_at',
  'updated_at',
  'source',
]);

const FIELD_BY_SYNONYM = new Map<string, ContactField>(
  Object.entries(SYNONYMS).flatMap(([field, names]) =>
    names.map((n) => [n, field as ContactField] as const),
  ),
);

export function normalizeHeader(header: string): string {
  return header
    .trim()
    .replace(/^'/, '')
    .toLowerCase()
    .replace(/[\s.-]+/g, '_');
}

export interface ColumnMap {
  /** Index of each recognised field's column (the first one wins). */
  fields: Partial<Record<ContactField, number>>;
  /** Other columns, kept as custom attributes under their header text. */
  attributes: { index: number; key: string }[];
  headers: string[];
}

export type ColumnMapResult = { ok: true; map: ColumnMap } | { ok: false; message: string };

export function mapColumns(headers: string[]): ColumnMapResult {
  const fields: ColumnMap['fields'] = {};
  const attributes: ColumnMap['attributes'] = [];
  const seen = new Set<string>();
  headers.forEach((raw, index) => {
    const key = normalizeHeader(raw);
    const field = FIELD_BY_SYNONYM.get(key);
    if (field !== undefined && fields[field] === undefined) {
      fields[field] = index;
    } else if (key && !seen.has(key) && !SYSTEM_COLUMNS.has(key)) {
      attributes.push({ index, key: raw.trim().replace(/^'/, '') });
    }
    seen.add(key);
  });
  if (fields.phone === undefined) {
    return {
      ok: false,
      message: `The file has no phone column. Name one of the columns "phone" (or ${SYNONYMS.phone
        .slice(1, 5)
        .join(', ')}). Columns found: ${headers.slice(0, 10).join(', ') || 'none'}`,
    };
  }
  return { ok: true, map: { fields, attributes, headers } };
}

/**
 * Picks the delimiter from the header line: the candidate that appears most
 * often outside quotes. Excel in many European locales writes `;`.
 */
export function sniffDelimiter(headerLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch] += 1;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}
