import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeNotesCursor,
  encodeNotesCursor,
  listNotes,
  type NoteListItem,
  type NotesOptions,
} from '../../../src/lib/dashboard';
import { withTenant } from '../../../src/lib/db/tenant';
import { makeTenant } from '../../factories';
import { makeLeads, makeNotes } from '../../factories/crm';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const MINUTE = 60_000;
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MINUTE);

/** Every page from the first, following nextAfter, as the "Load more" link does. */
async function allPages(tenantId: string, q: Omit<NotesOptions, 'after'>) {
  const notes: NoteListItem[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const page = await listNotes(t.db, tenantId, {
      ...q,
      after: after === null ? undefined : (decodeNotesCursor(after) ?? undefined),
    });
    notes.push(...page.notes);
    expect(page.hasMore).toBe(page.nextAfter !== null);
    after = page.nextAfter;
    pages++;
  } while (after !== null);
  return { notes, pages };
}

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
    const { notes, hasMore, nextAfter } = await listNotes(t.db, tenant.id, {});
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
    expect({ hasMore, nextAfter }).toEqual({ hasMore: false, nextAfter: null });
  });

  it('pages with hasMore and an opaque nextAfter until the last page', async () => {
    const tenant = await tenantWithNotes();
    const first = await listNotes(t.db, tenant.id, { limit: 2 });
    expect(first.hasMore).toBe(true);
    expect(first.nextAfter).toMatch(/^[A-Za-z0-9_-]+$/);
    const cursor = decodeNotesCursor(first.nextAfter ?? '');
    expect(cursor?.id).toBe(first.notes[1]?.id);
    const second = await listNotes(t.db, tenant.id, { limit: 2, after: cursor ?? undefined });
    expect(second.hasMore).toBe(true);
    const last = await listNotes(t.db, tenant.id, {
      limit: 2,
      after: decodeNotesCursor(second.nextAfter ?? '') ?? undefined,
    });
    expect(last).toMatchObject({ hasMore: false, nextAfter: null });
    const all = await listNotes(t.db, tenant.id, { limit: 100 });
    expect([...first.notes, ...second.notes, ...last.notes].map((n) => n.id)).toEqual(
      all.notes.map((n) => n.id),
    );
  });

  it('keyset pages cover every note exactly once: equal timestamps, microseconds, undated', async () => {
    const tenant = await makeTenant(t.db);
    const base = Date.now();
    await makeNotes(
      t.db,
      tenant.id,
      Array.from({ length: 23 }, (_, i) => ({
        text: `Territory note ${i}`,
        // Seven share a timestamp, five are undated, the rest a minute apart.
        notedAt: i < 7 ? new Date(base) : i < 12 ? null : new Date(base - i * MINUTE),
      })),
    );
    // Two notes a microsecond apart, which a JavaScript Date cannot tell apart.
    await t.db.execute(sql`update ct_notes set noted_at = noted_at - interval '1 microsecond'
      where tenant_id = ${tenant.id} and content_text in ('Territory note 12', 'Territory note 13')`);
    await t.db.execute(sql`update ct_notes set noted_at = noted_at + interval '1 minute' - interval '1 microsecond'
      where tenant_id = ${tenant.id} and content_text = 'Territory note 13'`);
    const everything = (await listNotes(t.db, tenant.id, { limit: 100 })).notes.map((n) => n.id);
    expect(everything).toHaveLength(23);
    for (const limit of [1, 2, 3, 5, 7, 22, 23]) {
      for (const search of [undefined, 'territory']) {
        const { notes, pages } = await allPages(tenant.id, { limit, search });
        expect(
          notes.map((n) => n.id),
          `limit ${limit} ${search}`,
        ).toEqual(everything);
        expect(pages).toBe(Math.ceil(23 / limit));
      }
    }
  });

  it('keyset pages equal the whole list for any notes and page size (property)', async () => {
    const tenant = await makeTenant(t.db);
    const base = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }), {
          minLength: 0,
          maxLength: 30,
        }),
        fc.integer({ min: 1, max: 8 }),
        async (minutes, limit) => {
          await t.db.execute(sql`delete from ct_notes where tenant_id = ${tenant.id}`);
          await makeNotes(
            t.db,
            tenant.id,
            minutes.map((m, i) => ({
              text: `Note ${i}`,
              notedAt: m === null ? null : new Date(base - m * MINUTE),
            })),
          );
          const whole = (await listNotes(t.db, tenant.id, { limit: 100 })).notes.map((n) => n.id);
          const { notes } = await allPages(tenant.id, { limit });
          expect(notes.map((n) => n.id)).toEqual(whole);
          expect(new Set(whole).size).toBe(minutes.length);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('reads a cursor back only if it is one it wrote', () => {
    const cursor = { notedAt: '2026-01-02T03:04:05.123456+00:00', id: 'note-1' };
    expect(decodeNotesCursor(encodeNotesCursor(cursor))).toEqual(cursor);
    expect(decodeNotesCursor(encodeNotesCursor({ notedAt: null, id: 'x' }))).toEqual({
      notedAt: null,
      id: 'x',
    });
    for (const bad of ['', 'not base64!', Buffer.from('{"a":1}').toString('base64url')])
      expect(decodeNotesCursor(bad)).toBeNull();
    const injected = Buffer.from(JSON.stringify(["now'); drop table x;--", 'a'])).toString(
      'base64url',
    );
    expect(decodeNotesCursor(injected)).toBeNull();
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
    expect(first.hasMore).toBe(true);
    expect(first.notes[0]?.preview).toBe('Territory call number 0');
    const after = decodeNotesCursor(first.nextAfter ?? '') ?? undefined;
    const rest = await listNotes(t.db, tenant.id, { search: 'territory', limit: 5, after });
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
      tx.execute(sql`select * from search_ct_notes(${other.id}::uuid, 'secret'::tsquery, 10)`),
    );
    expect(rows).toHaveLength(0);
  });
});
