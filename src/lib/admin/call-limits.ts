import { eq, sql } from 'drizzle-orm';
import { fail, type Result } from '../api/result';
import { SYSTEM_CALL_LIMIT_KEY, setSystemCallLimit, setUserCallLimit } from '../calls/concurrency';
import type { Database } from '../db/client';
import { systemSettings, users } from '../db/schema';
import type { AdminActor } from './actor';
import { recordAdminAudit } from './audit';
import { UUID } from './uuid';

/** The concurrency verbs with an audit row in the same transaction (from → to). */
export async function setUserCallLimitAudited(
  db: Database,
  actor: AdminActor,
  userId: string,
  input: unknown,
): Promise<Result<{ limit: number }>> {
  if (!UUID.test(userId)) return fail('NOT_FOUND', 'No such user');
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ limit: users.concurrentCallsLimit })
      .from(users)
      .where(eq(users.id, userId))
      .for('update');
    const result = await setUserCallLimit(tx, userId, input);
    if (result.ok) {
      await recordAdminAudit(tx, actor, {
        action: 'user.call_limit_changed',
        targetType: 'user',
        targetId: userId,
        details: { from: before?.limit ?? null, to: result.data.limit },
      });
    }
    return result;
  });
}

export async function setSystemCallLimitAudited(
  db: Database,
  actor: AdminActor,
  input: unknown,
): Promise<Result<{ limit: number }>> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ value: sql<number | null>`(${systemSettings.value} #>> '{}')::int` })
      .from(systemSettings)
      .where(eq(systemSettings.key, SYSTEM_CALL_LIMIT_KEY));
    const result = await setSystemCallLimit(tx, input);
    if (result.ok) {
      await recordAdminAudit(tx, actor, {
        action: 'system.call_limit_changed',
        targetType: 'system',
        targetId: SYSTEM_CALL_LIMIT_KEY,
        details: { from: before?.value ?? null, to: result.data.limit },
      });
    }
    return result;
  });
}
