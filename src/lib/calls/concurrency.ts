import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { fail, ok, type Result } from '../api/result';
import type { DbOrTx } from '../db/client';
import { systemSettings, users } from '../db/schema';

export const SYSTEM_CALL_LIMIT_KEY = 'call_concurrency_limit';
export const DEFAULT_SYSTEM_CALL_LIMIT = 10;

export interface ConcurrencyView {
  user: { limit: number; inFlight: number };
  system: { limit: number; inFlight: number };
}

/** A user's and the system's call limits with the calls in flight against each (call_slots). */
export async function getConcurrency(db: DbOrTx, userId: string): Promise<ConcurrencyView> {
  const [row] = await db.execute<{
    user_limit: number;
    user_in_flight: number;
    system_limit: number | null;
    system_in_flight: number;
  }>(sql`
    select (select concurrent_calls_limit from users where id = ${userId}) as user_limit,
           coalesce((select in_flight from call_slots where holder = ${userId}), 0) as user_in_flight,
           (select (value #>> '{}')::int from system_settings where key = ${SYSTEM_CALL_LIMIT_KEY}) as system_limit,
           (select coalesce(sum(in_flight), 0) from call_slots) as system_in_flight`);
  return {
    user: { limit: Number(row?.user_limit ?? 0), inFlight: Number(row?.user_in_flight ?? 0) },
    system: {
      limit: Number(row?.system_limit ?? DEFAULT_SYSTEM_CALL_LIMIT),
      inFlight: Number(row?.system_in_flight ?? 0),
    },
  };
}

export const LimitInput = z.object({
  limit: z.number({ error: 'Give the limit as a number' }).int().min(0).max(10_000),
});

/** Platform admins only (the route checks): how many calls a user's campaigns may run at once. */
export async function setUserCallLimit(
  db: DbOrTx,
  userId: string,
  input: unknown,
): Promise<Result<{ limit: number }>> {
  const parsed = LimitInput.safeParse(input);
  if (!parsed.success)
    return fail('VALIDATION', 'The limit must be a whole number from 0 to 10,000');
  const updated = await db
    .update(users)
    .set({ concurrentCallsLimit: parsed.data.limit, updatedAt: new Date() })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  if (updated.length === 0) return fail('NOT_FOUND', 'No such user');
  await db.execute(sql`select pg_notify('call_slot_freed', '')`);
  return ok({ limit: parsed.data.limit });
}

/** Platform admins only: calls in flight across every tenant at once. */
export async function setSystemCallLimit(
  db: DbOrTx,
  input: unknown,
): Promise<Result<{ limit: number }>> {
  const parsed = LimitInput.safeParse(input);
  if (!parsed.success)
    return fail('VALIDATION', 'The limit must be a whole number from 0 to 10,000');
  await db
    .insert(systemSettings)
    .values({ key: SYSTEM_CALL_LIMIT_KEY, value: parsed.data.limit })
    .onConflictDoUpdate({
      target: systemSettings.key,
      set: { value: parsed.data.limit, updatedAt: new Date() },
    });
  await db.execute(sql`select pg_notify('call_slot_freed', '')`);
  return ok({ limit: parsed.data.limit });
}
