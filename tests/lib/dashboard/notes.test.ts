import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { listNotes } from '../../../src/lib/dashboard';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import { makeLeads, makeNotes } from '../../factories/crm';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const MINUTE = 60_000;
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MINUTE);

async function tenantWithNotes() {
  const tenant = await makeTenant(t.db);
  const [leadId] = await makeLeads(t.db, tenant.id, [{ firstName: 'Dana', lastName: 'Whitfield' }]);
  await makeNotes(t.db, tenant.id, [
    {
      text: 'Discussed financing options for the Austin territory',
      author: 'Morgan Price',
      notedAt: at(1),
      clientCtId: leadId,
    },
    { text: 'Left a voicemail', author: 'Riley Chen', notedAt: at(2) },
    { text: 'Sent the FDD and franchise agreement', author: 'Morgan Price', notedAt: at(3) },
    { text: 'Undated whiteboard note', author: 'Riley Chen', notedAt: null, kind: 'whiteboard' },
    { text: 'Confidential financing memo', author: 'Morgan Price', notedAt: at(4), deleted: true },
    { text: 'Booked discovery day', author: 'Sam Ortiz', notedAt: at(5) },
  ]);
  return tenant;
}

describe('listNotes', () => {
  it('lists notes newest first, undated last, without deleted ones, with the lead they belong to', async () => {
    const tenant = await tenantWithNotes();
    const { notes, hasMore, nextOffset } = await listNotes(t.db, tenant.id, {});
    expect(notes.map((n) => n.preview)).toEqual([
      'Discussed financing options for the Austin territory',
      'Left a voicemail',
      'Sent the FDD and franchise agreement',
      'Booked discovery day',
      'Undated whiteboard note',
    ]);
    expect(notes[0]).toMatchObject({
      author: 'Morgan Price',
      kind: 'note',
      leadName: 'Dana Whitfield',
    });
    expect(notes[0]?.notedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(notes.at(-1)).toMatchObject({ notedAt: null, kind: 'whiteboard', leadName: null });
    expect({ hasMore, nextOffset }).toEqual({ hasMore: false, nextOffset: null });
  });

  it('pages with hasMore and nextOffset until the last page', async () => {
    const tenant = await tenantWithNotes();
    const first = await listNotes(t.db, tenant.id, { limit: 2 });
    expect(first).toMatchObject({ hasMore: true, nextOffset: 2 });
    const second = await listNotes(t.db, tenant.id, { limit: 2, offset: 2 });
    expect(second).toMatchObject({ hasMore: true, nextOffset: 4 });
    const last = await listNotes(t.db, tenant.id, { limit: 2, offset: 4 });
    expect(last).toMatchObject({ hasMore: false, nextOffset: null });
    const all = await listNotes(t.db, tenant.id, { limit: 100 });
    expect([...first.notes, ...second.notes, ...last.notes].map((n) => n.id)).toEqual(
      all.notes.map((n) => n.id),
    );
  });

  it('finds notes by content and by author, whatever the case, never deleted ones', async () => {
    const tenant = await tenantWithNotes();
    const search = async (text: string) =>
      (await listNotes(t.db, tenant.id, { search: text })).notes.map((n) => n.preview);
    expect(await search('financing')).toEqual([
      'Discussed financing options for the Austin territory',
    ]);
    expect(await search('FINANCING')).toEqual(await search('financing'));
    expect(await search('riley chen')).toEqual(['Left a voicemail', 'Undated whiteboard note']);
    expect(await search('morgan')).toHaveLength(2);
    expect(await search('confidential')).toEqual([]);
  });

  it('matches the last word as a prefix and understands websearch syntax', async () => {
    const tenant = await tenantWithNotes();
    const search = async (text: string) =>
      (await listNotes(t.db, tenant.id, { search: text })).notes.map((n) => n.preview);
    expect(await search('franch')).toEqual(['Sent the FDD and franchise agreement']);
    expect(await search('"discovery day"')).toEqual(['Booked discovery day']);
    expect(await search('morgan -fdd')).toEqual([
      'Discussed financing options for the Austin territory',
    ]);
    expect(await search('!!!')).toEqual([]);
  });

  it('pages through search results too', async () => {
    const tenant = await makeTenant(t.db);
    await makeNotes(
      t.db,
      tenant.id,
      Array.from({ length: 7 }, (_, i) => ({ text: `Territory call number ${i}`, notedAt: at(i) })),
    );
    const first = await listNotes(t.db, tenant.id, { search: 'territory', limit: 5 });
    expect(first).toMatchObject({ hasMore: true, nextOffset: 5 });
    expect(first.notes[0]?.preview).toBe('Territory call number 0');
    const rest = await listNotes(t.db, tenant.id, { search: 'territory', limit: 5, offset: 5 });
    expect(rest.notes.map((n) => n.preview)).toEqual([
      'Territory call number 5',
      'Territory call number 6',
    ]);
    expect(rest.hasMore).toBe(false);
  });

  it("never returns or finds another tenant's notes", async () => {
    const mine = await tenantWithNotes();
    const other = await makeTenant(t.db);
    await makeNotes(t.db, other.id, [{ text: 'Their financing secret', author: 'Morgan Price' }]);
    const listed = await listNotes(t.db, mine.id, { limit: 100 });
    expect(listed.notes.map((n) => n.preview)).not.toContain('Their financing secret');
    const found = await listNotes(t.db, mine.id, { search: 'secret' });
    expect(found.notes).toEqual([]);
  });

  it('refuses to search for a tenant other than the transaction’s', async () => {
    const mine = await tenantWithNotes();
    const other = await makeTenant(t.db);
    await makeNotes(t.db, other.id, [{ text: 'Their financing secret' }]);
    const rows = await withTenant(t.db, mine.id, (tx) =>
      tx.execute(sql`select * from search_ct_notes(${other.id}::uuid, 'secret'::tsquery, 10, 0)`),
    );
    expect(rows).toHaveLength(0);
  });
});
