import { and, eq } from 'drizzle-orm';
import { type CountryCode, getCountries, getCountryCallingCode } from 'libphonenumber-js';
import { z } from 'zod';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { tenantSettings, tenants } from '../db/schema';
import { withTenant } from '../db/tenant';
import { DEFAULT_PHONE_REGION, isPhoneRegion } from './phone';

export const PHONE_REGION_SETTING = 'phone_region';

export const PhoneRegionInput = z.object({
  region: z.string().trim().toUpperCase().refine(isPhoneRegion, 'Choose a country from the list'),
});
export type PhoneRegionInput = z.input<typeof PhoneRegionInput>;

/**
 * The region numbers without a country code are read in: the saved setting,
 * else the region the tenant was created with, else the default (US).
 */
export async function readPhoneRegion(tx: DbOrTx, tenantId: string): Promise<CountryCode> {
  const [setting] = await tx
    .select({ value: tenantSettings.value })
    .from(tenantSettings)
    .where(
      and(eq(tenantSettings.tenantId, tenantId), eq(tenantSettings.key, PHONE_REGION_SETTING)),
    );
  if (typeof setting?.value === 'string' && isPhoneRegion(setting.value)) return setting.value;
  const [tenant] = await tx
    .select({ region: tenants.defaultPhoneRegion })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return tenant && isPhoneRegion(tenant.region) ? tenant.region : DEFAULT_PHONE_REGION;
}

/** The tenant's default phone region (what the CSV importer and contact forms parse with). */
export function getPhoneRegion(db: DbOrTx, tenantId: string): Promise<CountryCode> {
  return withTenant(db, tenantId, (tx) => readPhoneRegion(tx, tenantId));
}

/** Saves the default phone region; numbers already stored keep their E.164 form. */
export async function setPhoneRegion(
  db: DbOrTx,
  tenantId: string,
  input: unknown,
): Promise<Result<CountryCode>> {
  const parsed = PhoneRegionInput.safeParse(input);
  if (!parsed.success) {
    return fail('VALIDATION', 'Choose a country from the list', {
      fields: { region: 'Choose a country from the list' },
    });
  }
  const region = parsed.data.region as CountryCode;
  await withTenant(db, tenantId, (tx) =>
    tx
      .insert(tenantSettings)
      .values({ tenantId, key: PHONE_REGION_SETTING, value: region })
      .onConflictDoUpdate({
        target: [tenantSettings.tenantId, tenantSettings.key],
        set: { value: region, updatedAt: new Date() },
      }),
  );
  return ok(region);
}

export interface PhoneRegionOption {
  code: CountryCode;
  /** "United Kingdom (+44)". */
  label: string;
}

let options: PhoneRegionOption[] | undefined;

/** Every region the phone library knows, by English name, for a select. */
export function listPhoneRegions(): PhoneRegionOption[] {
  if (options) return options;
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
  options = getCountries()
    .map((code) => ({
      code,
      label: `${names.of(code) ?? code} (+${getCountryCallingCode(code)})`,
    }))
    .sort((a, b) => a.label.localeCompare(b.label, 'en'));
  return options;
}
