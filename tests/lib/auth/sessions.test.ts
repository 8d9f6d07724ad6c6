import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createSession,
  deleteExpiredSessions,
  invalidateSession,
  invalidateUserSessions,
  SESSION_ABSOLUTE_MS,
  SESSION_TTL_MS,
  validateSessionToken,
} from '../../../src/lib/auth/sessions';
import { makeSession, makeUser } from '../../factories';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date('2030-03-01T09:00:00.000Z');
const day = (n: number) => new Date(T0.getTime() + n * DAY);
const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** postgres.js under drizzle hands timestamps over as text both ways, so convert here. */
const ts = (d: Date) => d.toISOString();

async function sessionRow(id: string) {
  const [row] = await t.sql<{ id: string; expires_at: string; created_at: string }[]>`
    select id, expires_at, created_at from sessions where id = ${id}`;
  return (
    row && {
      id: row.id,
      expires_at: new Date(row.expires_at),
      created_at: new Date(row.created_at),
    }
  );
}

describe('createSession', () => {
  it('stores only the sha-256 of a 32-character base32 token', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await createSession(t.db, user.id, T0);
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(session.id).toBe(sha256Hex(token));
    expect(session).toMatchObject({ userId: user.id, createdAt: T0, expiresAt: day(30) });

    const [row] = await t.db.execute<{ row: Record<string, unknown> }>(
      sql`select to_jsonb(s) as row from sessions s where s.id = ${session.id}`,
    );
    expect(row?.row.id).toBe(sha256Hex(token));
    // No column holds the cookie itself, in any form.
    expect(JSON.stringify(row?.row)).not.toContain(token);
    const [anywhere] = await t.sql`
      select 1 from sessions s where to_jsonb(s)::text like ${`%${token}%`}`;
    expect(anywhere).toBeUndefined();
  });

  it('hands out a different token every time', async () => {
    const user = await makeUser(t.db);
    const tokens = new Set<string>();
    for (let i = 0; i < 50; i++) tokens.add((await createSession(t.db, user.id, T0)).token);
    expect(tokens.size).toBe(50);
  });
});

describe('validateSessionToken', () => {
  it('validates a fresh token and returns its user without secrets', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id, T0);
    const result = await validateSessionToken(t.db, token, day(1));
    expect(result).toEqual({
      session: { ...session },
      user: { id: user.id, email: user.email, name: user.name, isPlatformAdmin: false },
      renewed: false,
    });
  });

  it('does not renew on day 10, when 20 days remain', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id, T0);
    const result = await validateSessionToken(t.db, token, day(10));
    expect(result?.renewed).toBe(false);
    expect(result?.session.expiresAt).toEqual(day(30));
    expect((await sessionRow(session.id))?.expires_at).toEqual(day(30));
  });

  it('moves expiresAt to now + 30 days on day 16, when fewer than 15 days remain', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id, T0);
    const result = await validateSessionToken(t.db, token, day(16));
    expect(result?.renewed).toBe(true);
    expect(result?.session.expiresAt).toEqual(day(46));
    expect((await sessionRow(session.id))?.expires_at).toEqual(day(46));
  });

  it('rejects a session idle for 31 days and deletes its row', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id, T0);
    expect(await validateSessionToken(t.db, token, day(31))).toBeNull();
    expect(await sessionRow(session.id)).toBeUndefined();
    // Gone means gone: going back in time does not revive it.
    expect(await validateSessionToken(t.db, token, day(1))).toBeNull();
  });

  it('rejects at the exact expiry instant', async () => {
    const user = await makeUser(t.db);
    const { token } = await makeSession(t.db, user.id, T0);
    expect(await validateSessionToken(t.db, token, new Date(day(30).getTime() - 1))).not.toBeNull();
    const { token: second } = await makeSession(t.db, user.id, T0);
    expect(await validateSessionToken(t.db, second, day(30))).toBeNull();
  });

  it('keeps a session used every 10 days alive until day 89, never past the 90-day cap', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id, T0);
    for (let d = 10; d <= 80; d += 10) {
      const result = await validateSessionToken(t.db, token, day(d));
      expect(result, `day ${d}`).not.toBeNull();
      expect(result?.session.expiresAt.getTime(), `day ${d}`).toBeLessThanOrEqual(
        T0.getTime() + SESSION_ABSOLUTE_MS,
      );
    }
    // Renewal is clamped to the cap: created + 90 d, not day 80 + 30 d.
    expect((await sessionRow(session.id))?.expires_at).toEqual(day(90));
    expect(await validateSessionToken(t.db, token, day(89))).not.toBeNull();
    expect(await validateSessionToken(t.db, token, day(91))).toBeNull();
    expect(await sessionRow(session.id)).toBeUndefined();
  });

  it('enforces the absolute cap even when the stored expiry lies beyond it', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id, T0);
    await t.sql`update sessions set expires_at = ${ts(day(200))}::timestamptz where id = ${session.id}`;
    expect(await validateSessionToken(t.db, token, day(89))).not.toBeNull();
    expect(await validateSessionToken(t.db, token, day(90))).toBeNull();
    expect(await sessionRow(session.id)).toBeUndefined();
  });

  it("rejects a deactivated user's session and deletes it", async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id, T0);
    expect(await validateSessionToken(t.db, token, day(1))).not.toBeNull();
    await t.sql`update users set deactivated_at = ${ts(day(1))}::timestamptz where id = ${user.id}`;
    expect(await validateSessionToken(t.db, token, day(2))).toBeNull();
    expect(await sessionRow(session.id)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['too short', 'a'.repeat(31)],
    ['too long', 'a'.repeat(33)],
    ['upper case', 'A'.repeat(32)],
    ['outside base32', `${'a'.repeat(31)}1`],
    ['padded', `${'a'.repeat(32)} `],
    ['sql', "' or 1=1 --aaaaaaaaaaaaaaaaaaaaa"],
  ])('returns null for a malformed token (%s)', async (_, token) => {
    expect(await validateSessionToken(t.db, token, T0)).toBeNull();
  });

  it('returns null for a well-formed token that was never issued, or for the stored hash itself', async () => {
    const user = await makeUser(t.db);
    const { token, session } = await makeSession(t.db, user.id, T0);
    const flipped = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`;
    expect(await validateSessionToken(t.db, flipped, day(1))).toBeNull();
    expect(await validateSessionToken(t.db, session.id, day(1))).toBeNull();
    expect(await validateSessionToken(t.db, token.toUpperCase(), day(1))).toBeNull();
    expect(await validateSessionToken(t.db, token, day(1))).not.toBeNull();
  });
});

describe('invalidation', () => {
  it('invalidateSession ends exactly that session', async () => {
    const user = await makeUser(t.db);
    const one = await makeSession(t.db, user.id, T0);
    const two = await makeSession(t.db, user.id, T0);
    await invalidateSession(t.db, one.session.id);
    expect(await validateSessionToken(t.db, one.token, day(1))).toBeNull();
    expect(await validateSessionToken(t.db, two.token, day(1))).not.toBeNull();
  });

  it("invalidateUserSessions ends every session of the user and no one else's", async () => {
    const user = await makeUser(t.db);
    const other = await makeUser(t.db);
    const mine = [await makeSession(t.db, user.id, T0), await makeSession(t.db, user.id, T0)];
    const theirs = await makeSession(t.db, other.id, T0);
    await invalidateUserSessions(t.db, user.id);
    for (const s of mine) expect(await validateSessionToken(t.db, s.token, day(1))).toBeNull();
    expect(await validateSessionToken(t.db, theirs.token, day(1))).not.toBeNull();
  });

  it('invalidateUserSessions keeps the session named in `except`', async () => {
    const user = await makeUser(t.db);
    const [a, keep, c] = [
      await makeSession(t.db, user.id, T0),
      await makeSession(t.db, user.id, T0),
      await makeSession(t.db, user.id, T0),
    ];
    await invalidateUserSessions(t.db, user.id, { except: keep.session.id });
    expect(await validateSessionToken(t.db, a.token, day(1))).toBeNull();
    expect(await validateSessionToken(t.db, c.token, day(1))).toBeNull();
    expect(await validateSessionToken(t.db, keep.token, day(1))).not.toBeNull();
  });
});

describe('deleteExpiredSessions', () => {
  beforeEach(async () => {
    await t.sql`delete from sessions`;
  });

  it('removes only expired and capped sessions', async () => {
    const user = await makeUser(t.db);
    const now = day(100);
    const expired = await makeSession(t.db, user.id, day(69)); // expires day 99
    const atExpiry = await makeSession(t.db, user.id, day(70)); // expires exactly now
    const capped = await makeSession(t.db, user.id, day(10)); // created 90 days ago
    await t.sql`update sessions set expires_at = ${ts(day(120))}::timestamptz where id = ${capped.session.id}`;
    const fresh = await makeSession(t.db, user.id, day(99));
    const renewedOld = await makeSession(t.db, user.id, day(11)); // 89 days old, renewed
    await t.sql`update sessions set expires_at = ${ts(day(101))}::timestamptz where id = ${renewedOld.session.id}`;

    expect(await deleteExpiredSessions(t.db, now)).toBe(3);
    const left = await t.sql<{ id: string }[]>`select id from sessions order by id`;
    expect(left.map((r) => r.id).sort()).toEqual([fresh.session.id, renewedOld.session.id].sort());
    for (const gone of [expired, atExpiry, capped])
      expect(await sessionRow(gone.session.id)).toBeUndefined();
    expect(await validateSessionToken(t.db, fresh.token, now)).not.toBeNull();
    expect(await validateSessionToken(t.db, renewedOld.token, now)).not.toBeNull();
  });

  it('agrees with validateSessionToken about what is still alive', async () => {
    const user = await makeUser(t.db);
    const created = [0, 30, 59, 60, 61, 89].map((d) => day(d));
    const made = [];
    for (const at of created) made.push(await makeSession(t.db, user.id, at));
    const now = day(90);
    const alive: boolean[] = [];
    // Judge each with validate on a copy of the facts, before housekeeping runs.
    for (const m of made) {
      const row = await sessionRow(m.session.id);
      const expiresAt = row?.expires_at.getTime() ?? 0;
      const cap = (row?.created_at.getTime() ?? 0) + SESSION_ABSOLUTE_MS;
      alive.push(now.getTime() < expiresAt && now.getTime() < cap);
    }
    await deleteExpiredSessions(t.db, now);
    for (const [i, m] of made.entries()) {
      const kept = (await sessionRow(m.session.id)) !== undefined;
      expect(kept, `session created day ${[0, 30, 59, 60, 61, 89][i]}`).toBe(alive[i]);
      expect((await validateSessionToken(t.db, m.token, now)) !== null).toBe(alive[i]);
    }
    expect(alive).toEqual([false, false, false, false, true, true]);
    expect(SESSION_TTL_MS).toBe(30 * DAY);
  });
});
