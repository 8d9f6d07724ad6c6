import { describe, expect, it } from 'vitest';
import { createContact } from '../../../src/lib/contacts';
import {
  getPhoneRegion,
  listPhoneRegions,
  setPhoneRegion,
} from '../../../src/lib/contacts/phone-region';
import { createTenant } from '../../../src/lib/tenants/create-tenant';
import { makeTenant } from '../../factories';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

describe('phone region', () => {
  it('defaults to the region the workspace was created with (US unless told)', async () => {
    const us = await makeTenant(t.db);
    const gb = await createTenant(t.db, {
      name: 'London',
      slug: `gb-${us.slug}`,
      defaultPhoneRegion: 'GB',
    });
    if (!gb.ok) throw new Error(gb.error.message);
    expect(await getPhoneRegion(t.db, us.id)).toBe('US');
    expect(await getPhoneRegion(t.db, gb.data.id)).toBe('GB');
  });

  it('saves a region, upper-casing it, and reads it back', async () => {
    const tenant = await makeTenant(t.db);
    expect(await setPhoneRegion(t.db, tenant.id, { region: 'gb' })).toEqual({
      ok: true,
      data: 'GB',
    });
    expect(await getPhoneRegion(t.db, tenant.id)).toBe('GB');
    expect(await setPhoneRegion(t.db, tenant.id, { region: 'DE' })).toEqual({
      ok: true,
      data: 'DE',
    });
    expect(await getPhoneRegion(t.db, tenant.id)).toBe('DE');
  });

  it.each([
    ['an unknown code', { region: 'XX' }],
    ['a three-letter code', { region: 'USA' }],
    ['a number', { region: 44 }],
    ['nothing', undefined],
    ['an empty object', {}],
  ])('refuses %s and keeps the saved region', async (_, input) => {
    const tenant = await makeTenant(t.db);
    await setPhoneRegion(t.db, tenant.id, { region: 'FR' });
    const result = await setPhoneRegion(t.db, tenant.id, input);
    expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await getPhoneRegion(t.db, tenant.id)).toBe('FR');
  });

  it("changes only its own workspace's region", async () => {
    const a = await makeTenant(t.db);
    const b = await makeTenant(t.db);
    await setPhoneRegion(t.db, a.id, { region: 'AU' });
    expect(await getPhoneRegion(t.db, a.id)).toBe('AU');
    expect(await getPhoneRegion(t.db, b.id)).toBe('US');
  });

  it('reads numbers typed without a country code in the saved region', async () => {
    const tenant = await makeTenant(t.db);
    await setPhoneRegion(t.db, tenant.id, { region: 'GB' });
    const created = await createContact(t.db, tenant.id, { name: 'Ada', phone: '020 7946 0018' });
    expect(created).toMatchObject({ ok: true, data: { phoneE164: '+442079460018' } });
  });

  it('lists every region by name with its calling code', () => {
    const regions = listPhoneRegions();
    expect(regions.length).toBeGreaterThan(200);
    expect(regions).toContainEqual({ code: 'US', label: 'United States (+1)' });
    expect(regions).toContainEqual({ code: 'GB', label: 'United Kingdom (+44)' });
    const labels = regions.map((r) => r.label);
    expect(labels).toEqual([...labels].sort((x, y) => x.localeCompare(y, 'en')));
  });
});
