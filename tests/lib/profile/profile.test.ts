/**
 * Password reset and email change through single-use mailed links, and the
 * profile verbs. The reset request answers the same for any address.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { login } from '../../../src/lib/auth/login';
import { validateSessionToken } from '../../../src/lib/auth/sessions';
import { hashToken } from '../../../src/lib/auth/tokens';
import { RESET_TTL_MS } from '../../../src/lib/profile/account-tokens';
import { confirmEmailChange, requestEmailChange } from '../../../src/lib/profile/change-email';
import {
  FORGOT_PASSWORD_ANSWER,
  RESET_INVALID,
  RESETS_PER_HOUR,
  requestPasswordReset,
  resetPassword,
} from '../../../src/lib/profile/password-reset';
import { listActiveSessions } from '../../../src/lib/profile/sessions';
import { updateProfile } from '../../../src/lib/profile/update-profile';
import { makeSession, makeUser } from '../../factories';
import { useAppRoleDatabase } from '../../helpers/app-role';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const app = useAppRoleDatabase(t);
const MAIL = { mailFrom: 'Switchboard <no-reply@example.test>' };
const BASE = 'https://switchboard.example';
const NEW_PASSWORD = 'an entirely new passphrase';

async function outboxFor(email: string) {
  return t.sql<{ link: string | null; subject: string; body: string }[]>`
    select link, subject, body from mail_outbox where to_address = ${email} order by id`;
}

function tokenIn(link: string | null | undefined, pattern: RegExp): string {
  const token = link?.match(pattern)?.[1];
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}
const resetToken = (link: string | null | undefined) =>
  tokenIn(link, /\/reset-password\/([a-z2-7]{32})$/);

describe('forgot password', () => {
  it('answers identically for a known, unknown and deactivated address; only the known one gets mail', async () => {
    const known = await makeUser(t.db);
    const gone = await makeUser(t.db);
    await t.sql`update users set deactivated_at = now() where id = ${gone.id}`;
    const unknown = `nobody-${randomBytes(4).toString('hex')}@example.test`;

    const answers = [];
    for (const email of [known.email, unknown, gone.email]) {
      answers.push(
        await requestPasswordReset(app.db, MAIL, BASE, { email: ` ${email.toUpperCase()} ` }),
      );
    }
    expect(answers[0]).toEqual({ ok: true, data: { message: FORGOT_PASSWORD_ANSWER } });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(await outboxFor(known.email)).toHaveLength(1);
    expect(await outboxFor(unknown)).toHaveLength(0);
    expect(await outboxFor(gone.email)).toHaveLength(0);
  });

  it(`sends one account at most ${RESETS_PER_HOUR} reset mails an hour, with the same answer past that`, async () => {
    const user = await makeUser(t.db);
    const now = new Date();
    const answers = [];
    for (let i = 0; i <= RESETS_PER_HOUR; i++) {
      answers.push(await requestPasswordReset(app.db, MAIL, BASE, { email: user.email }, now));
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(await outboxFor(user.email)).toHaveLength(RESETS_PER_HOUR);
    const later = new Date(now.getTime() + 61 * 60_000);
    await requestPasswordReset(app.db, MAIL, BASE, { email: user.email }, later);
    expect(await outboxFor(user.email)).toHaveLength(RESETS_PER_HOUR + 1);
  });

  it('rejects an empty address as VALIDATION', async () => {
    const result = await requestPasswordReset(app.db, MAIL, BASE, { email: '' });
    expect(result.ok ? 'ok' : result.error.code).toBe('VALIDATION');
  });
});

describe('resetting the password', () => {
  it('sets the password, ends every session, and works once', async () => {
    const user = await makeUser(t.db);
    const sessions = [await makeSession(t.db, user.id), await makeSession(t.db, user.id)];
    await requestPasswordReset(app.db, MAIL, BASE, { email: user.email });
    const [mail] = await outboxFor(user.email);
    const token = resetToken(mail?.link);
    expect(mail?.link).toBe(`${BASE}/reset-password/${token}`);
    const [stored] = await t.sql`select token_hash from account_tokens where user_id = ${user.id}`;
    expect(stored?.token_hash).toBe(hashToken(token));

    expect(await resetPassword(app.db, { token, password: NEW_PASSWORD })).toEqual({
      ok: true,
      data: null,
    });
    for (const s of sessions) expect(await validateSessionToken(t.db, s.token)).toBeNull();
    expect((await login(t.db, { email: user.email, password: NEW_PASSWORD })).ok).toBe(true);
    expect((await login(t.db, { email: user.email, password: user.password })).ok).toBe(false);

    const again = await resetPassword(app.db, { token, password: 'yet another passphrase' });
    expect(again.ok ? 'ok' : again.error.message).toBe(RESET_INVALID);
  });

  it('refuses an expired, superseded or forged link, and bad input burns nothing', async () => {
    const user = await makeUser(t.db);
    await requestPasswordReset(app.db, MAIL, BASE, { email: user.email });
    await requestPasswordReset(app.db, MAIL, BASE, { email: user.email });
    const [first, second] = await outboxFor(user.email);
    const old = resetToken(first?.link);
    const current = resetToken(second?.link);
    const code = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error?.code);
    expect(code(await resetPassword(app.db, { token: old, password: NEW_PASSWORD }))).toBe(
      'NOT_FOUND',
    );
    expect(
      code(await resetPassword(app.db, { token: 'b'.repeat(32), password: NEW_PASSWORD })),
    ).toBe('NOT_FOUND');
    expect(code(await resetPassword(app.db, { token: current, password: 'short' }))).toBe(
      'VALIDATION',
    );
    const late = new Date(Date.now() + RESET_TTL_MS + 1000);
    expect(
      code(await resetPassword(app.db, { token: current, password: NEW_PASSWORD }, late)),
    ).toBe('NOT_FOUND');
    expect(code(await resetPassword(app.db, { token: current, password: NEW_PASSWORD }))).toBe(
      'ok',
    );
  });
});

describe('changing the email address', () => {
  it('mails a link to the new address; confirming switches it for the signed-in user only', async () => {
    const user = await makeUser(t.db);
    const stranger = await makeUser(t.db);
    const next = `moved-${randomBytes(4).toString('hex')}@example.test`;
    const asked = await requestEmailChange(app.db, MAIL, BASE, user.id, {
      email: next,
      currentPassword: user.password,
    });
    expect(asked).toEqual({ ok: true, data: { sentTo: next } });
    const [mail] = await outboxFor(next);
    const token = tokenIn(mail?.link, /confirm-email=([a-z2-7]{32})$/);

    const wrongUser = await confirmEmailChange(app.db, MAIL, stranger.id, { token });
    expect(wrongUser.ok ? 'ok' : wrongUser.error.code).toBe('NOT_FOUND');
    expect(await confirmEmailChange(app.db, MAIL, user.id, { token })).toEqual({
      ok: true,
      data: { email: next },
    });
    expect((await login(t.db, { email: next, password: user.password })).ok).toBe(true);
    const [notice] = await outboxFor(user.email);
    expect(notice?.body).toContain(next);
    const reused = await confirmEmailChange(app.db, MAIL, user.id, { token });
    expect(reused.ok ? 'ok' : reused.error.code).toBe('NOT_FOUND');
  });

  it('answers the same for an address that has an account, without revealing it, and changes nothing', async () => {
    const user = await makeUser(t.db);
    const taken = await makeUser(t.db);
    const result = await requestEmailChange(app.db, MAIL, BASE, user.id, {
      email: taken.email,
      currentPassword: user.password,
    });
    expect(result).toEqual({ ok: true, data: { sentTo: taken.email } });
    const mails = await outboxFor(taken.email);
    expect(mails.map((m) => m.link)).toEqual([null]);
    expect((await t.sql`select 1 from account_tokens where user_id = ${user.id}`).length).toBe(0);
  });

  it('requires the current password and a valid, different address', async () => {
    const user = await makeUser(t.db);
    const wrong = await requestEmailChange(app.db, MAIL, BASE, user.id, {
      email: 'x@example.test',
      currentPassword: 'nope-nope',
    });
    expect(wrong.ok ? 'ok' : wrong.error.fields).toEqual({ currentPassword: expect.any(String) });
    const same = await requestEmailChange(app.db, MAIL, BASE, user.id, {
      email: user.email,
      currentPassword: user.password,
    });
    expect(same.ok ? 'ok' : same.error.fields).toEqual({ email: expect.any(String) });
    const bad = await requestEmailChange(app.db, MAIL, BASE, user.id, {
      email: 'nope',
      currentPassword: user.password,
    });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('VALIDATION');
  });
});

describe('profile', () => {
  it('changes the name, rejecting a blank one', async () => {
    const user = await makeUser(t.db);
    expect(await updateProfile(app.db, user.id, { name: '  Ada L.  ' })).toEqual({
      ok: true,
      data: { name: 'Ada L.' },
    });
    const blank = await updateProfile(app.db, user.id, { name: '  ' });
    expect(blank.ok ? 'ok' : blank.error.fields).toEqual({ name: expect.any(String) });
  });

  it('lists live sessions, marks the current one and never shows a token', async () => {
    const user = await makeUser(t.db);
    const a = await makeSession(t.db, user.id);
    const b = await makeSession(t.db, user.id);
    const rows = await listActiveSessions(app.db, user.id, b.session.id);
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.current)).toHaveLength(1);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(a.token);
    expect(text).not.toContain(b.token);
    expect(text).not.toContain(a.session.id);
  });
});
