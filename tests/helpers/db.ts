import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/lib/db/client';
import { withDatabase } from './template';

export interface TestDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

/** A fresh database cloned from the migrated template, in milliseconds. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const template = inject('templateDatabase');
  const name = `sb_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${template}"`);
        break;
      } catch (error) {
        // Two files cloning the same template at the same instant: wait and retry.
        const busy = (error as { code?: string }).code === '55006';
        if (!busy || attempt >= 50) throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
      }
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: async () => {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
      await sql.end({ timeout: 5 });
    },
  };
}

/**
 * Per test file: a database of its own and a pool on it. Dropped afterwards
 * unless a test failed, so a failure can be inspected (its name is printed).
 */
export function useTestDatabase(options: { max?: number } = {}) {
  const state = {} as { database: TestDatabase; handle: DatabaseHandle };
  let failed = false;
  beforeAll(async () => {
    state.database = await createTestDatabase();
    state.handle = connectDatabase(state.database.url, { max: options.max ?? 5 });
  });
  afterEach(({ task }) => {
    // An `it.fails` test that failed as expected is not a failure worth keeping a database for.
    if (task.result?.state === 'fail' && !task.fails) failed = true;
  });
  afterAll(async () => {
    await state.handle?.close();
    if (!state.database) return;
    if (failed) console.warn(`[tests] kept database ${state.database.name} for inspection`);
    else await state.database.drop();
  });
  return {
    get db() {
      return state.handle.db;
    },
    get sql() {
      return state.handle.sql;
    },
    get url() {
      return state.database.url;
    },
  };
}
