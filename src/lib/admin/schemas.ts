import { z } from 'zod';
import { isPhoneRegion } from '../contacts/phone';
import { CALL_PROVIDERS } from '../db/schema';
import { HotListRuleSchema } from '../sync/hot-list-rule';
import { TenantSlug, TimeZone } from '../tenants/schemas';

const blankToUndefined = (value: unknown) =>
  value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value;

/** A write-only secret: blank means "keep the current one". */
const Secret = z.preprocess(blankToUndefined, z.string().trim().min(1).max(512).optional());

const Region = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isPhoneRegion, 'Choose a country from the list');

/** Everything a platform admin sets on a tenant; on update, only what is given changes. */
export const TenantFields = z.object({
  name: z.string().trim().min(1, 'Name is required').max(200),
  slug: TenantSlug,
  timezone: TimeZone,
  defaultPhoneRegion: Region,
  hotListRule: HotListRuleSchema,
  callProvider: z.enum(CALL_PROVIDERS),
  clienttetherWebKey: Secret,
  clienttetherAccessToken: Secret,
  bolnaApiKey: Secret,
});

export const CreateTenantFields = TenantFields.partial().required({ name: true, slug: true });
export type CreateTenantFields = z.input<typeof CreateTenantFields>;
export const UpdateTenantFields = TenantFields.partial();
export type UpdateTenantFields = z.input<typeof UpdateTenantFields>;

export const SECRET_FIELDS = [
  'clienttetherWebKey',
  'clienttetherAccessToken',
  'bolnaApiKey',
] as const;

/**
 * An HTML form's flat fields → the JSON shape: `hotListMode` + `minLikelihood`
 * or comma-separated `stages` become `hotListRule`; blanks are left out.
 */
export function tenantFieldsFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const { hotListMode, minLikelihood, stages, ...rest } = body;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if (blankToUndefined(value) !== undefined) out[key] = value;
  }
  if (hotListMode === 'stages') {
    out.hotListRule = {
      stages: String(stages ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    };
  } else if (hotListMode === 'likelihood') {
    const value = String(minLikelihood ?? '').trim();
    out.hotListRule = { minLikelihood: value === '' ? Number.NaN : Number(value) };
  }
  return out;
}

export const ListQuery = z.object({
  q: z.string().trim().max(200).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type ListQuery = z.infer<typeof ListQuery>;
