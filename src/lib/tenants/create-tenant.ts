import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { tenants } from '../db/schema';
import { CreateTenantInput, type PublicTenant, publicTenantColumns } from './schemas';

export async function createTenant(
  db: DbOrTx,
  input: CreateTenantInput,
): Promise<Result<PublicTenant>> {
  const parsed = CreateTenantInput.safeParse(input);
  if (!parsed.success)
    return fail('VALIDATION', parsed.error.issues[0]?.message ?? 'Invalid tenant');
  const [tenant] = await db
    .insert(tenants)
    .values(parsed.data)
    .onConflictDoNothing({ target: tenants.slug })
    .returning(publicTenantColumns);
  if (!tenant) return fail('CONFLICT', `A tenant with slug "${parsed.data.slug}" already exists`);
  return ok(tenant);
}
