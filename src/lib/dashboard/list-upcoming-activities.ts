import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client';
import { ctScheduledActivities as a } from '../db/schema';
import { withTenant } from '../db/tenant';
import { SCHEDULE_LIMIT } from './schemas';

export interface UpcomingActivity {
  id: string;
  startsAt: string;
  endsAt: string | null;
  type: string | null;
  title: string | null;
  contactName: string | null;
  description: string | null;
  ownerName: string | null;
}

export interface ScheduleOptions {
  limit?: number;
  now?: Date;
}

/**
 * The schedule: activities starting after `now`, soonest first, deleted ones
 * left out. Reads ct_activities_tenant_starts_idx from `now` onwards.
 */
export async function listUpcomingActivities(
  db: DbOrTx,
  tenantId: string,
  q: ScheduleOptions = {},
): Promise<{ activities: UpcomingActivity[] }> {
  const limit = Math.min(
    SCHEDULE_LIMIT.max,
    Math.max(1, Math.trunc(q.limit ?? SCHEDULE_LIMIT.default)),
  );
  const now = q.now ?? new Date();
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: a.ctId,
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        type: a.activityType,
        title: a.title,
        contactName: a.contactName,
        description: a.description,
        ownerName: a.ownerName,
      })
      .from(a)
      .where(and(eq(a.tenantId, tenantId), isNull(a.deletedAt), gt(a.startsAt, now)))
      .orderBy(asc(a.startsAt), asc(a.ctId))
      .limit(limit),
  );
  return {
    activities: rows.flatMap(({ startsAt, endsAt, ...rest }) =>
      // starts_at > now already excludes undated rows; flatMap narrows the type.
      startsAt
        ? [{ ...rest, startsAt: startsAt.toISOString(), endsAt: endsAt?.toISOString() ?? null }]
        : [],
    ),
  };
}
