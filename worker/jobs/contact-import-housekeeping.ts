import { importLimitsFrom } from '../../src/lib/contacts/imports/limits';
import { pruneSpool } from '../../src/lib/contacts/imports/prune-spool';
import { sweepAbandonedImports } from '../../src/lib/contacts/imports/sweep-abandoned';
import type { Job } from './types';

/** Imports whose process died are closed as failed, and their uploads removed from disk. */
export const contactImportHousekeeping: Job = {
  name: 'contact-import-housekeeping',
  schedule: '*/5 * * * *',
  description: 'fail imports abandoned by a stopped process and prune orphaned uploads',
  async run({ database: { db }, config }, now) {
    const abandoned = await sweepAbandonedImports(db, now);
    const spoolFiles = await pruneSpool(importLimitsFrom(config).spoolDir, now);
    return { abandoned, spoolFiles };
  },
};
