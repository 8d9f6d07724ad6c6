import { fieldErrors } from '../api/field-errors';
import { fail, ok, type Result } from '../api/result';
import type { Database } from '../db/client';
import { tenants } from '../db/schema';
import { type PublicTenant, publicTenantColumns } from '../tenants/schemas';
import type { AdminActor } from './actor';
import { applyTenantFields, slugTaken } from './apply-tenant-fields';
import { recordAdminAudit } from './audit';
import { CreateTenantFields, SECRET_FIELDS } from './schemas';

/** Platform admins: a new tenant with its settings and secrets, audited, in one transaction. */
export async function adminCreateTenant(
  db: Database,
  secretsKey: string | undefined,
  actor: AdminActor,
  input: unknown,
): Promise<Result<PublicTenant>> {
  const parsed = CreateTenantFields.safeParse(input);
  if (!parsed.success) {
    return fail('VALIDATION', 'Check the highlighted fields', fieldErrors(parsed.error));
  }
  const fields = parsed.data;
  if (!secretsKey && SECRET_FIELDS.some((k) => fields[k])) {
    return fail('PRECONDITION_FAILED', 'SECRETS_KEY is not configured, so keys cannot be stored');
  }
  return db.transaction(async (tx) => {
    if (await slugTaken(tx, fields.slug)) {
      return fail('CONFLICT', 'Another tenant uses that slug', {
        fields: { slug: 'Another tenant uses that slug' },
      });
    }
    const [tenant] = await tx
      .insert(tenants)
      .values({
        name: fields.name,
        slug: fields.slug,
        ...(fields.timezone ? { timezone: fields.timezone } : {}),
        ...(fields.defaultPhoneRegion ? { defaultPhoneRegion: fields.defaultPhoneRegion } : {}),
      })
      .onConflictDoNothing({ target: tenants.slug })
      .returning(publicTenantColumns);
    if (!tenant) {
      return fail('CONFLICT', 'Another tenant uses that slug', {
        fields: { slug: 'Another tenant uses that slug' },
      });
    }
    const { name: _n, slug: _s, timezone: _t, defaultPhoneRegion: _r, ...rest } = fields;
    const applied = await applyTenantFields(tx, secretsKey, tenant.id, rest);
    await recordAdminAudit(tx, actor, {
      action: 'tenant.created',
      targetType: 'tenant',
      targetId: tenant.id,
      tenantId: tenant.id,
      details: {
        name: tenant.name,
        slug: tenant.slug,
        timezone: tenant.timezone,
        defaultPhoneRegion: tenant.defaultPhoneRegion,
        ...(applied.changed.length ? { settings: applied.changed } : {}),
        ...(applied.rotated.length ? { secretsSet: applied.rotated } : {}),
      },
    });
    return ok(tenant);
  });
}
