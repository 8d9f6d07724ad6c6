import { pruneExpiredLinks } from '../../src/lib/admin/prune-expired';
import { deleteExpiredSessions } from '../../src/lib/auth/sessions';
import { deleteStaleLoginFailures } from '../../src/lib/auth/throttle';
import type { Job } from './types';

/** Expired sessions, old login failures and long-dead links and mail are deleted, not just ignored. */
export const authHousekeeping: Job = {
  name: 'auth-housekeeping',
  schedule: '17 * * * *',
  description:
    'delete expired sessions, login failures older than the throttle window, and invites, reset links and outbox mail dead for 30 days',
  async run({ database: { db } }, now) {
    const sessions = await deleteExpiredSessions(db, now);
    const loginFailures = await deleteStaleLoginFailures(db, now);
    return { sessions, loginFailures, ...(await pruneExpiredLinks(db, now)) };
  },
};
