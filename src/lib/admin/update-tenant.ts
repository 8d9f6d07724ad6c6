import { eq } from 'drizzle-orm';
import { fieldErrors } from '../api/field-errors';
import { fail, ok, type Result } from '../api/result';
import type { Database } from '../db/client';
import { tenants } from '../db/schema';
import type { AdminActor } from './actor';
import { applyTenantFields, slugTaken } from './apply-tenant-fields';
import { recordAdminAudit } from './audit';
import { SECRET_FIELDS, UpdateTenantFields } from './schemas';
import { UUID } from './uuid';

/**
 * Platform admins: changes what is given. Plain changes and secret rotations
 * are audited separately ("credentials rotated" names the keys, never values).
 */
export async function adminUpdateTenant(
  db: Database,
  secretsKey: string | undefined,
  actor: AdminActor,
  tenantId: string,
  input: unknown,
): Promise<Result<{ changed: string[]; rotated: string[] }>> {
  if (!UUID.test(tenantId)) return fail('NOT_FOUND', 'No such tenant');
  const parsed = UpdateTenantFields.safeParse(input);
  if (!parsed.success) {
    return fail('VALIDATION', 'Check the highlighted fields', fieldErrors(parsed.error));
  }
  const fields = parsed.data;
  if (!secretsKey && SECRET_FIELDS.some((k) => fields[k])) {
    return fail('PRECONDITION_FAILED', 'SECRETS_KEY is not configured, so keys cannot be stored');
  }
  return db.transaction(async (tx) => {
    const [tenant] = await tx
      .select({ id: tenants.id })
      .from(tenants)
      .where(eq(tenants.id, tenantId))
      .for('no key update');
    if (!tenant) return fail('NOT_FOUND', 'No such tenant');
    if (fields.slug && (await slugTaken(tx, fields.slug, tenantId))) {
      return fail('CONFLICT', 'Another tenant uses that slug', {
        fields: { slug: 'Another tenant uses that slug' },
      });
    }
    const applied = await applyTenantFields(tx, secretsKey, tenantId, fields);
    if (applied.changed.length) {
      const values: Record<string, unknown> = {};
      for (const key of applied.changed) values[key] = fields[key as keyof typeof fields];
      await recordAdminAudit(tx, actor, {
        action: 'tenant.updated',
        targetType: 'tenant',
        targetId: tenantId,
        tenantId,
        details: { changed: values },
      });
    }
    if (applied.rotated.length) {
      await recordAdminAudit(tx, actor, {
        action: 'tenant.credentials_rotated',
        targetType: 'tenant',
        targetId: tenantId,
        tenantId,
        details: { rotated: applied.rotated },
      });
    }
    return ok(applied);
  });
}
