import { describe, expect, it } from 'vitest';
import { changePassword, setPassword } from '../../../src/lib/auth/change-password';
import { login } from '../../../src/lib/auth/login';
import { validateSessionToken } from '../../../src/lib/auth/sessions';
import { makeSession, makeUser } from '../../factories';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

const T0 = new Date('2030-07-01T08:00:00.000Z');
const later = new Date(T0.getTime() + 60_000);

async function passwordHash(userId: string) {
  const [row] = await t.sql<{ password_hash: string }[]>`
    select password_hash from users where id = ${userId}`;
  return row?.password_hash;
}

async function liveSessions(userId: string) {
  const rows = await t.sql<{ id: string }[]>`select id from sessions where user_id = ${userId}`;
  return rows.map((r) => r.id).sort();
}

/** A user with two signed-in devices. */
async function userWithSessions() {
  const user = await makeUser(t.db);
  const sessions = [await makeSession(t.db, user.id, T0), await makeSession(t.db, user.id, T0)];
  return { user, sessions };
}

async function canLogIn(email: string, password: string) {
  const result = await login(t.db, { email, password }, later);
  return result.ok;
}

describe('changePassword', () => {
  it('rejects a wrong current password as VALIDATION and changes nothing', async () => {
    const { user, sessions } = await userWithSessions();
    const hashBefore = await passwordHash(user.id);
    const result = await changePassword(
      t.db,
      user.id,
      { currentPassword: 'not my password', newPassword: 'a brand new password' },
      T0,
    );
    expect(result.ok ? 'ok' : result.error).toMatchObject({
      code: 'VALIDATION',
      fields: { currentPassword: expect.any(String) },
    });
    expect(await passwordHash(user.id)).toBe(hashBefore);
    expect(await liveSessions(user.id)).toEqual(sessions.map((s) => s.session.id).sort());
    expect(await canLogIn(user.email, user.password)).toBe(true);
  });

  it('rejects a 7-character new password and changes nothing', async () => {
    const { user, sessions } = await userWithSessions();
    const hashBefore = await passwordHash(user.id);
    const result = await changePassword(
      t.db,
      user.id,
      { currentPassword: user.password, newPassword: '7 chars' },
      T0,
    );
    expect(result.ok ? 'ok' : result.error).toMatchObject({
      code: 'VALIDATION',
      fields: { newPassword: expect.any(String) },
    });
    expect(await passwordHash(user.id)).toBe(hashBefore);
    expect(await liveSessions(user.id)).toHaveLength(sessions.length);
  });

  it('accepts a 64-character new password, which then signs in', async () => {
    const { user } = await userWithSessions();
    const newPassword = 'p'.repeat(32) + 'Q'.repeat(32);
    expect(newPassword).toHaveLength(64);
    const result = await changePassword(
      t.db,
      user.id,
      { currentPassword: user.password, newPassword },
      T0,
    );
    expect(result.ok).toBe(true);
    expect(await passwordHash(user.id)).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await canLogIn(user.email, newPassword)).toBe(true);
    expect(await canLogIn(user.email, user.password)).toBe(false);
  });

  it('ends every earlier session of the user and returns a new one that validates', async () => {
    const { user, sessions } = await userWithSessions();
    const bystander = await makeUser(t.db);
    const theirs = await makeSession(t.db, bystander.id, T0);

    const result = await changePassword(
      t.db,
      user.id,
      { currentPassword: user.password, newPassword: 'an even better passphrase' },
      T0,
    );
    if (!result.ok) throw new Error(result.error.message);

    for (const old of sessions)
      expect(await validateSessionToken(t.db, old.token, later)).toBeNull();
    const fresh = await validateSessionToken(t.db, result.data.token, later);
    expect(fresh?.user.id).toBe(user.id);
    expect(result.data.session).toMatchObject({ userId: user.id, createdAt: T0 });
    expect(await liveSessions(user.id)).toEqual([result.data.session.id]);
    expect(await validateSessionToken(t.db, theirs.token, later)).not.toBeNull();
  });

  it('reports an unknown user as NOT_FOUND', async () => {
    const result = await changePassword(
      t.db,
      '00000000-0000-4000-8000-000000000000',
      { currentPassword: 'whatever it was', newPassword: 'whatever it will be' },
      T0,
    );
    expect(result.ok ? 'ok' : result.error.code).toBe('NOT_FOUND');
  });
});

describe('setPassword (admin reset)', () => {
  it('sets the password and ends every session of the user', async () => {
    const { user, sessions } = await userWithSessions();
    const result = await setPassword(t.db, user.id, 'reset by an administrator');
    expect(result.ok).toBe(true);
    for (const old of sessions)
      expect(await validateSessionToken(t.db, old.token, later)).toBeNull();
    expect(await liveSessions(user.id)).toEqual([]);
    expect(await canLogIn(user.email, 'reset by an administrator')).toBe(true);
    expect(await canLogIn(user.email, user.password)).toBe(false);
  });

  it('rejects a 7-character password and keeps the sessions', async () => {
    const { user, sessions } = await userWithSessions();
    const hashBefore = await passwordHash(user.id);
    const result = await setPassword(t.db, user.id, 'short12');
    expect(result.ok ? 'ok' : result.error.code).toBe('VALIDATION');
    expect(await passwordHash(user.id)).toBe(hashBefore);
    expect(await liveSessions(user.id)).toHaveLength(sessions.length);
  });
});
