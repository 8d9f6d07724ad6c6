import { beforeAll, describe, expect, it } from 'vitest';
import {
  bulkContacts,
  createContact,
  deleteContact,
  getContact,
  updateContact,
} from '../../../src/lib/contacts';
import { inferTimezone, normalizePhone } from '../../../src/lib/contacts/phone';
import type { ContactView } from '../../../src/lib/contacts/types';
import type { PublicTenant } from '../../../src/lib/tenants/schemas';
import { makeTenant } from '../../factories';
import { makeContact } from '../../factories/contacts';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const DUPLICATE = 'A contact with this phone number already exists';

function data<T>(result: { ok: true; data: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.message}`);
  return result.data;
}

let a: PublicTenant;
let b: PublicTenant;
let theirs: ContactView;
beforeAll(async () => {
  a = await makeTenant(t.db);
  b = await makeTenant(t.db);
  theirs = await makeContact(t.db, b.id, { name: 'Theirs', phoneE164: '+14155550199' });
});

/** Tenant B's contact, read as B: proof that A's attempt changed nothing. */
async function theirsNow() {
  return data(await getContact(t.db, b.id, theirs.id));
}

describe('createContact', () => {
  it("normalises the phone in the workspace's region and infers the time zone from it", async () => {
    const created = data(
      await createContact(t.db, a.id, {
        name: '  Ada Lovelace ',
        phone: '(415) 555-0134',
        email: 'ada@example.com',
        company: 'Analytical Engines',
        tags: ['vip', 'vip', 'west'],
        attributes: { plan: 'gold' },
      }),
    );
    expect(created).toMatchObject({
      name: 'Ada Lovelace',
      phoneE164: '+14155550134',
      phoneRaw: '(415) 555-0134',
      email: 'ada@example.com',
      company: 'Analytical Engines',
      timezone: inferTimezone('+14155550134'),
      tags: ['vip', 'west'],
      attributes: { plan: 'gold' },
      optedOutAt: null,
      source: 'manual',
    });
    expect(created.id).toBeGreaterThan(0);
    expect(data(await getContact(t.db, a.id, created.id))).toEqual(created);
  });

  it('keeps a time zone given explicitly, and treats blanks as none', async () => {
    const created = data(
      await createContact(t.db, a.id, {
        phone: '+1 212 555 0100',
        timezone: 'Europe/Paris',
        email: '',
        company: '  ',
      }),
    );
    expect(created).toMatchObject({
      name: '',
      timezone: 'Europe/Paris',
      email: null,
      company: null,
    });
  });

  it('refuses a number already in the workspace, however it is written (CONFLICT)', async () => {
    data(await createContact(t.db, a.id, { name: 'First', phone: '+1 (646) 555-0111' }));
    const again = await createContact(t.db, a.id, { name: 'Second', phone: '646.555.0111' });
    expect(again).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        message: DUPLICATE,
        retryable: false,
        fields: { phone: DUPLICATE },
      },
    });
  });

  it('allows the same number in another workspace', async () => {
    const created = await createContact(t.db, a.id, { name: 'Mine', phone: theirs.phoneE164 });
    expect(created.ok).toBe(true);
    expect((await theirsNow()).name).toBe('Theirs');
  });

  it('refuses an invalid phone with the reason on the phone field', async () => {
    for (const phone of ['12', 'not a number', '+1 415 555 01345678']) {
      const result = await createContact(t.db, a.id, { name: 'Bad', phone });
      const expected = normalizePhone(phone, 'US');
      if (expected.ok) throw new Error(`${phone} was expected to be invalid`);
      const hint = expected.suggestion ? ` Did you mean ${expected.suggestion}?` : '';
      expect(result, phone).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', fields: { phone: `${expected.message}${hint}` } },
      });
    }
  });

  it.each([
    ['a missing phone', { name: 'X' }, 'phone'],
    ['a name over 200 characters', { phone: '+14155550150', name: 'x'.repeat(201) }, 'name'],
    ['an invalid email', { phone: '+14155550151', email: 'not-an-email' }, 'email'],
    ['an unknown time zone', { phone: '+14155550152', timezone: 'Mars/Olympus' }, 'timezone'],
    ['a UTC offset as time zone', { phone: '+14155550153', timezone: '+05:30' }, 'timezone'],
    ['tags that are not a list', { phone: '+14155550154', tags: 'vip' }, 'tags'],
    ['a tag over 50 characters', { phone: '+14155550155', tags: ['x'.repeat(51)] }, 'tags'],
    ['a tag with a CSV separator in it', { phone: '+14155550156', tags: ['east, west'] }, 'tags'],
    ['attributes with a number', { phone: '+14155550156', attributes: { age: 42 } }, 'attributes'],
    ['a NUL character', { phone: '+14155550157', name: 'a\u0000b' }, 'name'],
  ])('refuses %s (VALIDATION on that field)', async (_, input, field) => {
    const result = await createContact(t.db, a.id, input);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!result.ok) expect(Object.keys(result.error.fields ?? {})).toEqual([field]);
  });

  it.each([[undefined], [null], ['text'], [[1, 2]]])(
    'refuses a body that is not an object (%j)',
    async (body) => {
      expect(await createContact(t.db, a.id, body)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', message: 'Send a JSON object' },
      });
    },
  );
});

describe('getContact', () => {
  it("answers NOT_FOUND for another workspace's contact, a missing one and a malformed id alike", async () => {
    for (const id of [theirs.id, 999_999_999, 'abc', '1.5', -1, '']) {
      expect(await getContact(t.db, a.id, id), String(id)).toEqual({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'Contact not found', retryable: false },
      });
    }
    expect((await getContact(t.db, b.id, String(theirs.id))).ok).toBe(true);
  });
});

describe('updateContact', () => {
  it('changes only the fields given and moves updatedAt', async () => {
    const contact = await makeContact(t.db, a.id, {
      name: 'Grace',
      email: 'grace@example.com',
      company: 'Navy',
      tags: ['x'],
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    });
    const updated = data(
      await updateContact(t.db, a.id, contact.id, { name: 'Grace Hopper', email: '' }),
    );
    expect(updated).toMatchObject({
      name: 'Grace Hopper',
      email: null,
      company: 'Navy',
      tags: ['x'],
      phoneE164: contact.phoneE164,
    });
    expect(updated.updatedAt > contact.updatedAt).toBe(true);
    expect(updated.createdAt).toBe(contact.createdAt);
  });

  it('normalises a new phone; a zone inferred from the old number follows it, an explicit one stays', async () => {
    const created = data(await createContact(t.db, a.id, { phone: '+1 415 555 0160' }));
    const moved = data(await updateContact(t.db, a.id, created.id, { phone: '+44 20 7946 0160' }));
    expect(moved).toMatchObject({
      phoneE164: '+442079460160',
      phoneRaw: '+44 20 7946 0160',
      timezone: inferTimezone('+442079460160'),
    });
    const pinned = data(
      await createContact(t.db, a.id, { phone: '+1 415 555 0161', timezone: 'Asia/Tokyo' }),
    );
    const kept = data(await updateContact(t.db, a.id, pinned.id, { phone: '+1 212 555 0161' }));
    expect(kept.timezone).toBe('Asia/Tokyo');
    const cleared = data(await updateContact(t.db, a.id, pinned.id, { timezone: '' }));
    expect(cleared.timezone).toBe(inferTimezone('+12125550161'));
  });

  it('refuses a phone another contact has (CONFLICT) and changes nothing', async () => {
    const one = await makeContact(t.db, a.id, { name: 'One', phoneE164: '+13125550170' });
    const two = await makeContact(t.db, a.id, { name: 'Two', phoneE164: '+13125550171' });
    const result = await updateContact(t.db, a.id, two.id, {
      name: 'Renamed',
      phone: '312-555-0170',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: DUPLICATE } });
    expect(data(await getContact(t.db, a.id, two.id))).toEqual(two);
    expect(data(await getContact(t.db, a.id, one.id))).toEqual(one);
  });

  it('keeps its own phone without a conflict', async () => {
    const contact = await makeContact(t.db, a.id, { phoneE164: '+13125550172' });
    const result = await updateContact(t.db, a.id, contact.id, { phone: '+1 312 555 0172' });
    expect(result.ok).toBe(true);
  });

  it("can't touch another workspace's contact (NOT_FOUND)", async () => {
    const result = await updateContact(t.db, a.id, theirs.id, { name: 'Hijacked', optedOut: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await theirsNow()).toEqual(theirs);
  });

  it('validates like create, and a bad id is NOT_FOUND', async () => {
    const contact = await makeContact(t.db, a.id);
    expect(await updateContact(t.db, a.id, contact.id, { email: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { email: expect.any(String) } },
    });
    expect(await updateContact(t.db, a.id, contact.id, { phone: 'abc' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { phone: expect.any(String) } },
    });
    expect(await updateContact(t.db, a.id, 'x', { name: 'Y' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('opting out', () => {
  it('is set once and kept: PATCH can neither clear nor move it', async () => {
    const contact = await makeContact(t.db, a.id, { name: 'Quiet' });
    const out = data(await updateContact(t.db, a.id, contact.id, { optedOut: true }));
    expect(out.optedOutAt).not.toBeNull();
    const again = data(
      await updateContact(t.db, a.id, contact.id, { optedOut: true, name: 'Quieter' }),
    );
    expect(again.optedOutAt).toBe(out.optedOutAt);
    expect(await updateContact(t.db, a.id, contact.id, { optedOut: false })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { optedOut: 'An opted-out contact stays opted out' } },
    });
    const ignored = data(
      await updateContact(t.db, a.id, contact.id, { optedOutAt: null, name: 'Still quiet' }),
    );
    expect(ignored).toMatchObject({ name: 'Still quiet', optedOutAt: out.optedOutAt });
  });

  it('in bulk counts only contacts opted out now, and keeps earlier dates', async () => {
    const earlier = new Date('2025-06-01T12:00:00Z');
    const already = await makeContact(t.db, a.id, { optedOutAt: earlier });
    const fresh = await makeContact(t.db, a.id);
    const result = await bulkContacts(t.db, a.id, {
      action: 'opt_out',
      ids: [already.id, fresh.id, theirs.id],
    });
    expect(result).toEqual({ ok: true, data: { action: 'opt_out', affected: 1 } });
    expect(data(await getContact(t.db, a.id, already.id)).optedOutAt).toBe(earlier.toISOString());
    expect(data(await getContact(t.db, a.id, fresh.id)).optedOutAt).not.toBeNull();
    expect((await theirsNow()).optedOutAt).toBeNull();
  });
});

describe('deleting', () => {
  it('deletes one contact; then it is NOT_FOUND', async () => {
    const contact = await makeContact(t.db, a.id);
    expect(await deleteContact(t.db, a.id, contact.id)).toEqual({
      ok: true,
      data: { id: contact.id },
    });
    expect(await getContact(t.db, a.id, contact.id)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await deleteContact(t.db, a.id, contact.id)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it("can't delete another workspace's contact", async () => {
    expect(await deleteContact(t.db, a.id, theirs.id)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await theirsNow()).toEqual(theirs);
  });

  it("deletes in bulk, counting only the workspace's own contacts", async () => {
    const one = await makeContact(t.db, a.id);
    const two = await makeContact(t.db, a.id);
    const result = await bulkContacts(t.db, a.id, {
      action: 'delete',
      ids: [one.id, two.id, two.id, theirs.id, 987_654_321],
    });
    expect(result).toEqual({ ok: true, data: { action: 'delete', affected: 2 } });
    expect(await getContact(t.db, a.id, one.id)).toMatchObject({ ok: false });
    expect(await theirsNow()).toEqual(theirs);
  });

  it.each([
    ['no ids', { action: 'delete', ids: [] }, 'ids'],
    [
      'over 1,000 ids',
      { action: 'delete', ids: Array.from({ length: 1001 }, (_, i) => i + 1) },
      'ids',
    ],
    ['ids as text', { action: 'delete', ids: ['1'] }, 'ids'],
    ['an unknown action', { action: 'call', ids: [1] }, 'action'],
  ])('refuses a bulk request with %s', async (_, input, field) => {
    const result = await bulkContacts(t.db, a.id, input);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!result.ok) expect(Object.keys(result.error.fields ?? {})).toEqual([field]);
  });

  it('accepts exactly 1,000 ids', async () => {
    const ids = Array.from({ length: 1000 }, (_, i) => 500_000_000 + i);
    expect(await bulkContacts(t.db, a.id, { action: 'delete', ids })).toEqual({
      ok: true,
      data: { action: 'delete', affected: 0 },
    });
  });
});
