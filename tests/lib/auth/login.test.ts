import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVALID_CREDENTIALS, login } from '../../../src/lib/auth/login';
import { validateSessionToken } from '../../../src/lib/auth/sessions';
import { LOGIN_MAX_FAILURES, LOGIN_WINDOW_MS } from '../../../src/lib/auth/throttle';
import { connectDatabase, type DatabaseHandle } from '../../../src/lib/db/client';
import { makeSession, makeUser } from '../../factories';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

const T0 = new Date('2030-05-01T12:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const SECOND = 1000;
const MINUTE = 60 * SECOND;

const WRONG = 'definitely not the password';
const unauthenticated = {
  ok: false,
  error: { code: 'UNAUTHENTICATED', message: INVALID_CREDENTIALS, retryable: false },
};

async function failuresFor(email: string) {
  const [row] = await t.sql<{ count: number }[]>`
    select count(*)::int as count from login_failures where email = ${email}`;
  return row?.count ?? -1;
}

describe('login', () => {
  it('signs in with the right password and returns a session that validates', async () => {
    const user = await makeUser(t.db);
    const result = await login(t.db, { email: user.email, password: user.password }, T0);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.userId).toBe(user.id);
    expect(result.data.session.id).toBe(
      createHash('sha256').update(result.data.token).digest('hex'),
    );
    const validated = await validateSessionToken(t.db, result.data.token, at(MINUTE));
    expect(validated?.user.id).toBe(user.id);
  });

  it('issues a new token on every login; an earlier token is not reused', async () => {
    const user = await makeUser(t.db);
    const before = await makeSession(t.db, user.id, T0);
    const result = await login(t.db, { email: user.email, password: user.password }, T0);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.data.token).not.toBe(before.token);
    expect(result.data.session.id).not.toBe(before.session.id);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const user = await makeUser(t.db);
    const wrong = await login(t.db, { email: user.email, password: WRONG }, T0);
    const unknown = await login(
      t.db,
      { email: `nobody-${user.id}@example.test`, password: user.password },
      T0,
    );
    expect(wrong).toEqual(unknown);
    expect(wrong).toEqual(unauthenticated);
  });

  it('answers a deactivated user with the right password like a wrong password', async () => {
    const user = await makeUser(t.db);
    await t.sql`update users set deactivated_at = now() where id = ${user.id}`;
    const deactivated = await login(t.db, { email: user.email, password: user.password }, T0);
    const unknown = await login(
      t.db,
      { email: `ghost-${user.id}@example.test`, password: WRONG },
      T0,
    );
    expect(deactivated).toEqual(unknown);
    expect(deactivated).toEqual(unauthenticated);
    const [sessions] = await t.sql<{ count: number }[]>`
      select count(*)::int as count from sessions where user_id = ${user.id}`;
    expect(sessions?.count).toBe(0);
  });

  it('ignores case and surrounding whitespace in the email', async () => {
    const user = await makeUser(t.db);
    const shouted = `  ${user.email.toUpperCase()}\t`;
    const result = await login(t.db, { email: shouted, password: user.password }, T0);
    expect(result.ok && result.data.userId).toBe(user.id);
    // Failures under any spelling count against the one normalized email.
    await login(t.db, { email: user.email.toUpperCase(), password: WRONG }, T0);
    await login(t.db, { email: ` ${user.email} `, password: WRONG }, T0);
    expect(await failuresFor(user.email)).toBe(2);
  });

  it('stores an argon2id hash with m=19456, t=2, p=1', async () => {
    const user = await makeUser(t.db);
    const [row] = await t.sql<{ password_hash: string }[]>`
      select password_hash from users where id = ${user.id}`;
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row?.password_hash).not.toContain(user.password);
  });

  it('rejects malformed input as VALIDATION without recording a failure', async () => {
    const user = await makeUser(t.db);
    for (const input of [{}, { email: user.email }, { email: '   ', password: 'x' }, null]) {
      const result = await login(t.db, input, T0);
      expect(result.ok ? 'ok' : result.error.code).toBe('VALIDATION');
    }
    expect(await failuresFor(user.email)).toBe(0);
  });
});

describe('login throttling', () => {
  it('refuses the 6th attempt after 5 failures, even with the right password', async () => {
    const user = await makeUser(t.db);
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
      const result = await login(t.db, { email: user.email, password: WRONG }, at(i * MINUTE));
      expect(result, `attempt ${i + 1}`).toEqual(unauthenticated);
    }
    const sixth = await login(t.db, { email: user.email, password: user.password }, at(5 * MINUTE));
    expect(sixth.ok).toBe(false);
    if (sixth.ok) return;
    expect(sixth.error.code).toBe('RATE_LIMITED');
    expect(sixth.error.retryable).toBe(true);
    const retry = sixth.error.retryAfterSeconds ?? 0;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(900);
    // The oldest failure (at T0) leaves the window at T0 + 15 min: 10 minutes from now.
    expect(retry).toBe(600);
    expect(await failuresFor(user.email)).toBe(LOGIN_MAX_FAILURES);
  });

  it('throttles an unknown email the same way', async () => {
    const email = `unknown-${Date.now()}@example.test`;
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++)
      expect(await login(t.db, { email, password: WRONG }, T0)).toEqual(unauthenticated);
    const sixth = await login(t.db, { email, password: WRONG }, T0);
    expect(sixth.ok ? 'ok' : sixth.error).toEqual({
      code: 'RATE_LIMITED',
      message: expect.any(String),
      retryable: true,
      retryAfterSeconds: 900,
    });
  });

  it('lets the user in again once the 15-minute window has passed', async () => {
    const user = await makeUser(t.db);
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++)
      await login(t.db, { email: user.email, password: WRONG }, T0);
    const early = await login(
      t.db,
      { email: user.email, password: user.password },
      at(LOGIN_WINDOW_MS - SECOND),
    );
    expect(early.ok ? 'ok' : early.error.code).toBe('RATE_LIMITED');
    if (!early.ok) expect(early.error.retryAfterSeconds).toBe(1);
    // Exactly when retryAfterSeconds said, not later.
    const onTime = await login(
      t.db,
      { email: user.email, password: user.password },
      at(LOGIN_WINDOW_MS),
    );
    expect(onTime.ok && onTime.data.userId).toBe(user.id);
  });

  it('clears the failures on a successful login', async () => {
    const user = await makeUser(t.db);
    for (let i = 0; i < LOGIN_MAX_FAILURES - 1; i++)
      await login(t.db, { email: user.email, password: WRONG }, T0);
    const success = await login(t.db, { email: user.email, password: user.password }, T0);
    expect(success.ok).toBe(true);
    expect(await failuresFor(user.email)).toBe(0);
    // A full five new failures are allowed before the next refusal.
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) {
      const result = await login(t.db, { email: user.email, password: WRONG }, at(SECOND));
      expect(result, `failure ${i + 1} after success`).toEqual(unauthenticated);
    }
    const refused = await login(t.db, { email: user.email, password: user.password }, at(SECOND));
    expect(refused.ok ? 'ok' : refused.error.code).toBe('RATE_LIMITED');
  });

  it('never asks a throttled caller to wait longer than the 15-minute window', async () => {
    const user = await makeUser(t.db);
    // Five failures recorded a second after this caller read its clock (it waited on the lock).
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++)
      await login(t.db, { email: user.email, password: WRONG }, at(SECOND));
    const late = await login(t.db, { email: user.email, password: WRONG }, T0);
    expect(late.ok ? 'ok' : late.error.code).toBe('RATE_LIMITED');
    if (!late.ok)
      expect(late.error.retryAfterSeconds).toBeLessThanOrEqual(LOGIN_WINDOW_MS / SECOND);
  });

  describe('across two separate pools (two processes)', () => {
    let pools: DatabaseHandle[] = [];
    beforeAll(() => {
      pools = [connectDatabase(t.url, { max: 5 }), connectDatabase(t.url, { max: 5 })];
    });
    afterAll(async () => {
      await Promise.all(pools.map((p) => p.close()));
    });

    it('records exactly 5 failures and throttles the rest of 10 concurrent wrong attempts', async () => {
      const user = await makeUser(t.db);
      const attempts = Array.from({ length: 10 }, (_, i) => {
        const pool = pools[i % 2];
        if (!pool) throw new Error('pool missing');
        return login(pool.db, { email: user.email, password: WRONG }, T0);
      });
      const results = await Promise.all(attempts);
      const codes = results.map((r) => (r.ok ? 'ok' : r.error.code)).sort();
      expect(codes).toEqual([
        ...Array<string>(5).fill('RATE_LIMITED'),
        ...Array<string>(5).fill('UNAUTHENTICATED'),
      ]);
      expect(await failuresFor(user.email)).toBe(5);
      for (const result of results) {
        if (!result.ok && result.error.code === 'RATE_LIMITED') {
          expect(result.error.retryAfterSeconds).toBeGreaterThan(0);
          expect(result.error.retryAfterSeconds).toBeLessThanOrEqual(900);
        }
      }
      // Either pool refuses the right password now.
      for (const pool of pools) {
        const next = await login(
          pool.db,
          { email: user.email, password: user.password },
          at(SECOND),
        );
        expect(next.ok ? 'ok' : next.error.code).toBe('RATE_LIMITED');
      }
    });
  });
});
