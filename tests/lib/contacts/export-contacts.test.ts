import { parse } from 'csv-parse/sync';
import { asc, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportContacts } from '../../../src/lib/contacts/export-contacts';
import { contacts } from '../../../src/lib/db/schema';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeMember } from '../../factories';
import { makeContacts } from '../../factories/contacts';
import { importCsv } from '../../factories/imports';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase({ max: 6 });
const TRIGGERS = ['=', '+', '-', '@', '\t', "'"];

async function newTenant() {
  const { tenant, user } = await makeMember(t.db, { role: 'owner' });
  return { id: tenant.id, userId: user.id };
}

async function exported(tenantId: string): Promise<string> {
  let csv = '';
  for await (const chunk of exportContacts(t.db, tenantId)) csv += chunk;
  return csv;
}

function stored(tenantId: string) {
  return withTenant(t.db, tenantId, (tx) =>
    tx
      .select()
      .from(contacts)
      .where(eq(contacts.tenantId, tenantId))
      .orderBy(asc(contacts.phoneE164)),
  );
}

/** Text a spreadsheet user could type: formula triggers, quotes, separators, line breaks, accents. */
const cellText = fc
  .tuple(
    fc.constantFrom('', ...TRIGGERS),
    fc.string({ unit: fc.constantFrom('a', 'B', ' ', ',', ';', '"', '\n', 'é', '日', '=', "'") }),
  )
  .map(([head, rest]) => `${head}${rest}`.trim());
const contact = fc.record({
  name: cellText,
  email: fc.option(fc.constantFrom('ada@example.com', 'o.brien+x@example.co.uk'), { nil: null }),
  company: fc.option(
    cellText.filter((s) => s.length > 0),
    { nil: null },
  ),
  timezone: fc.constantFrom('America/New_York', 'Europe/London', 'Asia/Tokyo'),
  tags: fc.uniqueArray(fc.constantFrom('vip', 'west coast', 'Q3'), { maxLength: 3 }),
  attributes: fc
    .dictionary(
      fc.constantFrom('Deal Size', 'City', 'notes'),
      cellText.filter((s) => s.length > 0),
    )
    .map((d) => ({ ...d })), // a plain object: fast-check's have no prototype
});

describe('exporting contacts', () => {
  it('import(export(contacts)) gives the same contacts, and no exported cell starts a formula', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(contact, { minLength: 1, maxLength: 12 }), async (specs) => {
        const source = await newTenant();
        const target = await newTenant();
        await makeContacts(
          t.db,
          source.id,
          specs.map((s, i) => ({ ...s, phoneE164: `+1415555${String(1000 + i)}` })),
        );
        const csv = await exported(source.id);
        for (const cell of (parse(csv) as string[][]).flat()) {
          expect(['=', '+', '-', '@', '\t', '\r'].includes(cell.charAt(0))).toBe(false);
        }
        const { final } = await importCsv(t, target, csv);
        expect(final).toMatchObject({ status: 'completed', invalid: 0, inserted: specs.length });
        const pick = (rows: Awaited<ReturnType<typeof stored>>) =>
          rows.map((r) => ({
            name: r.name,
            phone: r.phoneE164,
            email: r.email,
            company: r.company,
            timezone: r.timezone,
            tags: r.tags,
            attributes: r.attributes,
          }));
        expect(pick(await stored(target.id))).toEqual(pick(await stored(source.id)));
      }),
      { numRuns: 15 },
    );
  }, 120_000);

  it('streams in batches: 12,000 contacts export completely, in id order', async () => {
    const tenant = await newTenant();
    await makeContacts(
      t.db,
      tenant.id,
      Array.from({ length: 12_000 }, (_, i) => ({
        name: `Person ${i}`,
        phoneE164: `+1212${5_000_000 + i}`,
      })),
    );
    const lines = (await exported(tenant.id)).trimEnd().split('\r\n');
    expect(lines[0]).toBe('name,phone,email,company,timezone,tags,opted_out_at,created_at');
    expect(lines).toHaveLength(12_001);
    // E.164 starts with "+", a formula trigger: exported escaped, read back by the importer.
    expect(lines[12_000]).toMatch(/^Person 11999,'\+12125011999,/);
  });

  it("exports only the workspace's own contacts", async () => {
    const mine = await newTenant();
    const theirs = await newTenant();
    await makeContacts(t.db, theirs.id, [{ name: 'Not Mine', phoneE164: '+14155550199' }]);
    expect(await exported(mine.id)).toBe(
      'name,phone,email,company,timezone,tags,opted_out_at,created_at\r\n',
    );
  });
});
