import { inferTimezone } from '../contacts/phone';
import type { Database } from '../db/client';
import { contacts } from '../db/schema';
import { withTenant } from '../db/tenant';

const FIRST = ['Ava', 'Ben', 'Chloe', 'Diego', 'Emma', 'Farah', 'Gabe', 'Hana', 'Ivan', 'Jade'];
const LAST = ['Nguyen', 'Patel', 'Garcia', 'Smith', 'Kim', 'Okafor', 'Rossi', 'Cohen'];
const COMPANIES = [
  'Northwind Realty',
  'Blue Fin Fitness',
  'Summit Dental',
  null,
  'Harbor Cafe',
  null,
];
const AREA_CODES = ['212', '312', '415', '512', '617', '713', '303', '404'];

/**
 * Sixty contacts per demo workspace, on the 555-0100…0199 numbers reserved for
 * fiction, spread over US time zones so calling windows matter. A few have no
 * name (they rank lower in campaigns) and one is opted out. Idempotent.
 */
export async function seedDemoContacts(
  db: Database,
  tenantId: string,
  seed: number,
): Promise<void> {
  const rows = Array.from({ length: 60 }, (_, i) => {
    const area = AREA_CODES[(i + seed) % AREA_CODES.length] ?? '415';
    const phoneE164 = `+1${area}55501${String(i % 100).padStart(2, '0')}`;
    const named = i % 12 !== 11;
    const first = FIRST[(i * 7 + seed) % FIRST.length] ?? 'Ava';
    const last = LAST[(i * 3 + seed) % LAST.length] ?? 'Kim';
    return {
      tenantId,
      name: named ? `${first} ${last}` : '',
      phoneE164,
      phoneRaw: `(${area}) 555-01${String(i % 100).padStart(2, '0')}`,
      email: named ? `${first}.${last}${i}@example.com`.toLowerCase() : null,
      company: COMPANIES[i % COMPANIES.length] ?? null,
      timezone: inferTimezone(phoneE164),
      tags: i % 5 === 0 ? ['vip'] : [],
      source: 'demo',
      optedOutAt: i === 7 ? new Date('2026-01-15T12:00:00Z') : null,
    };
  });
  await withTenant(db, tenantId, (tx) => tx.insert(contacts).values(rows).onConflictDoNothing());
}
