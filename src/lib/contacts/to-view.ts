import type { contacts } from '../db/schema';
import type { ContactView } from './types';

export type ContactRow = typeof contacts.$inferSelect;

/** A stored contact as the API and the islands see it (dates as ISO strings, no sort keys). */
export function toContactView(row: ContactRow): ContactView {
  return {
    id: row.id,
    name: row.name,
    phoneE164: row.phoneE164,
    phoneRaw: row.phoneRaw,
    email: row.email,
    company: row.company,
    timezone: row.timezone,
    tags: row.tags,
    attributes: row.attributes,
    optedOutAt: row.optedOutAt?.toISOString() ?? null,
    source: row.source,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
