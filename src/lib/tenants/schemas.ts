import { z } from 'zod';
import { MEMBERSHIP_ROLES, tenants } from '../db/schema';

export const TenantSlug = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/, 'Slug: lower-case letters, digits and dashes');

// Intl also accepts UTC offsets such as "+05:30", which PostgreSQL reads with the sign
// flipped (POSIX): only region names like "America/Chicago" (and "UTC") are allowed.
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

export const TimeZone = z.string().refine((tz) => {
  if (!IANA_NAME.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'Unknown IANA time zone');

export const CreateTenantInput = z.object({
  name: z.string().trim().min(1, 'Name is required').max(200),
  slug: TenantSlug,
  timezone: TimeZone.default('America/New_York'),
  defaultPhoneRegion: z
    .string()
    .regex(/^[A-Z]{2}$/, 'Region: a two-letter country code')
    .default('US'),
});
export type CreateTenantInput = z.input<typeof CreateTenantInput>;

export const MembershipRole = z.enum(MEMBERSHIP_ROLES);

/** The columns of a tenant that may reach a page: never the sealed credentials. */
export const publicTenantColumns = {
  id: tenants.id,
  name: tenants.name,
  slug: tenants.slug,
  timezone: tenants.timezone,
  defaultPhoneRegion: tenants.defaultPhoneRegion,
};
export interface PublicTenant {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  defaultPhoneRegion: string;
}
