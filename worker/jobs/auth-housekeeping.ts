import { deleteExpiredSessions } from '../../src/lib/auth/sessions';
import { deleteStaleLoginFailures } from '../../src/lib/auth/throttle';
import type { Job } from './types';

/** Expired sessions and old login failures are deleted, not just ignored. */
export const authHousekeeping: Job = {
  name: 'auth-housekeeping',
  schedule: '17 * * * *',
  description: 'delete expired sessions and login failures older than the throttle window',
  async run({ database: { db } }, now) {
    const sessions = await deleteExpiredSessions(db, now);
    const loginFailures = await deleteStaleLoginFailures(db, now);
    return { sessions, loginFailures };
  },
};
