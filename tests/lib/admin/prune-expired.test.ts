/** The hourly housekeeping's share of issue 9: links dead for 30 days and old outbox mail go. */
import { randomBytes } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pruneExpiredLinks } from '../../../src/lib/admin/prune-expired';
import { accountTokens, invites, mailOutbox } from '../../../src/lib/db/schema';
import { makeTenant, makeUser } from '../../factories';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();
const DAY = 86_400_000;
const NOW = new Date('2026-11-24T12:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const hash = () => randomBytes(32).toString('hex');

describe('pruneExpiredLinks', () => {
  it('deletes invites and account tokens expired over 30 days ago and outbox mail over 30 days old, and keeps the rest', async () => {
    const tenant = await makeTenant(t.db);
    const user = await makeUser(t.db);
    const [oldInvite, recentInvite] = await t.db
      .insert(invites)
      .values([
        {
          tokenHash: hash(),
          targetTenantId: tenant.id,
          email: 'old@example.test',
          role: 'member',
          expiresAt: ago(31),
        },
        {
          tokenHash: hash(),
          targetTenantId: tenant.id,
          email: 'new@example.test',
          role: 'member',
          expiresAt: ago(2),
        },
      ])
      .returning();
    const [oldToken, liveToken] = await t.db
      .insert(accountTokens)
      .values([
        { tokenHash: hash(), userId: user.id, purpose: 'password_reset', expiresAt: ago(40) },
        {
          tokenHash: hash(),
          userId: user.id,
          purpose: 'password_reset',
          expiresAt: new Date(NOW.getTime() + DAY),
        },
      ])
      .returning();
    const [oldMail, newMail] = await t.db
      .insert(mailOutbox)
      .values([
        { toAddress: 'a@example.test', subject: 'old', body: 'x', createdAt: ago(31) },
        { toAddress: 'b@example.test', subject: 'new', body: 'y', createdAt: ago(1) },
      ])
      .returning();

    expect(await pruneExpiredLinks(t.db, NOW)).toEqual({ invites: 1, accountTokens: 1, outbox: 1 });
    const inviteIds = [oldInvite?.id ?? '', recentInvite?.id ?? ''];
    const left = await t.db
      .select({ id: invites.id })
      .from(invites)
      .where(inArray(invites.id, inviteIds));
    expect(left.map((i) => i.id)).toEqual([recentInvite?.id]);
    const tokens = await t.db
      .select({ h: accountTokens.tokenHash })
      .from(accountTokens)
      .where(
        inArray(accountTokens.tokenHash, [oldToken?.tokenHash ?? '', liveToken?.tokenHash ?? '']),
      );
    expect(tokens.map((x) => x.h)).toEqual([liveToken?.tokenHash]);
    const mail = await t.db
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(inArray(mailOutbox.id, [oldMail?.id ?? 0, newMail?.id ?? 0]));
    expect(mail.map((m) => m.id)).toEqual([newMail?.id]);
    expect(await pruneExpiredLinks(t.db, NOW)).toEqual({ invites: 0, accountTokens: 0, outbox: 0 });
  });
});
