import { and, count, desc, eq, gte, ilike, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/client';
import { adminAuditLogs, tenants } from '../db/schema';
import { ADMIN_ACTIONS } from './audit';

export const AUDIT_PAGE_SIZE = 50;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The /admin/audit query string; anything malformed is simply not applied as a filter. */
export const AuditFilters = z.object({
  action: z.enum(ADMIN_ACTIONS).optional().catch(undefined),
  actor: z.string().trim().max(254).optional().catch(undefined),
  tenant: z.uuid().optional().catch(undefined),
  from: Day.optional().catch(undefined),
  to: Day.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
export type AuditFilters = z.infer<typeof AuditFilters>;

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  tenantId: string | null;
  tenantName: string | null;
  details: Record<string, unknown>;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest first; `from`/`to` are whole UTC days, `to` inclusive. */
export async function listAdminAudit(db: DbOrTx, filters: AuditFilters) {
  const where: SQL[] = [];
  if (filters.action) where.push(eq(adminAuditLogs.action, filters.action));
  if (filters.actor) where.push(ilike(adminAuditLogs.actorLabel, `%${escapeLike(filters.actor)}%`));
  if (filters.tenant) where.push(eq(adminAuditLogs.subjectTenantId, filters.tenant));
  if (filters.from)
    where.push(gte(adminAuditLogs.createdAt, new Date(`${filters.from}T00:00:00Z`)));
  if (filters.to) {
    const end = new Date(`${filters.to}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    where.push(lt(adminAuditLogs.createdAt, end));
  }
  const condition = where.length ? and(...where) : undefined;
  const [rows, [totals]] = await Promise.all([
    db
      .select({
        id: adminAuditLogs.id,
        at: adminAuditLogs.createdAt,
        actor: adminAuditLogs.actorLabel,
        action: adminAuditLogs.action,
        targetType: adminAuditLogs.targetType,
        targetId: adminAuditLogs.targetId,
        tenantId: adminAuditLogs.subjectTenantId,
        tenantName: tenants.name,
        details: adminAuditLogs.details,
      })
      .from(adminAuditLogs)
      .leftJoin(tenants, eq(tenants.id, adminAuditLogs.subjectTenantId))
      .where(condition)
      .orderBy(desc(adminAuditLogs.createdAt), desc(adminAuditLogs.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((filters.page - 1) * AUDIT_PAGE_SIZE),
    db.select({ total: count() }).from(adminAuditLogs).where(condition),
  ]);
  return {
    rows: rows as AuditRow[],
    total: totals?.total ?? 0,
    page: filters.page,
    pageSize: AUDIT_PAGE_SIZE,
  };
}
