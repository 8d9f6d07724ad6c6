/**
 * The worker's call dispatch for browser and HTTP tests: the same dispatcher
 * loop and provider registry `npm start` runs (worker/index.ts), with the
 * demo's simulated provider answering in about a second instead of a minute,
 * so a whole campaign runs while a test watches.
 */
import { afterAll, beforeAll } from 'vitest';
import { type Dispatcher, startDispatcher } from '../../src/lib/calls/dispatch/dispatcher';
import { createProviderRegistry } from '../../src/lib/calls/provider-registry';
import { connectDatabase } from '../../src/lib/db/client';

export interface TestWorkerOptions {
  ringMs?: [number, number];
  talkMs?: [number, number];
  /** The dispatcher's idle wake-up (the worker's is 2 s). */
  intervalMs?: number;
}

export interface TestWorker {
  logs: () => string[];
  stop: () => Promise<void>;
}

export async function startTestWorker(
  databaseUrl: string,
  options: TestWorkerOptions = {},
): Promise<TestWorker> {
  const database = connectDatabase(databaseUrl, { max: 5 });
  const registry = createProviderRegistry(
    database.db,
    { bolnaApiUrl: 'https://api.bolna.ai' },
    {
      ringMs: options.ringMs ?? [300, 700],
      talkMs: options.talkMs ?? [1_500, 3_000],
      processingMs: [100, 300],
    },
  );
  const lines: string[] = [];
  let dispatcher: Dispatcher;
  try {
    dispatcher = await startDispatcher({
      db: database.db,
      sql: database.sql,
      providerFor: registry.providerFor,
      log: (line) => lines.push(line),
      intervalMs: options.intervalMs ?? 250,
    });
  } catch (error) {
    registry.close();
    await database.close();
    throw error;
  }
  return {
    logs: () => [...lines],
    stop: async () => {
      await dispatcher.stop();
      registry.close();
      await database.close();
    },
  };
}

/** Per test file: a dispatcher on the file's database while its tests run. */
export function useTestWorker(databaseUrl: () => string, options: TestWorkerOptions = {}) {
  const state = {} as { worker: TestWorker };
  beforeAll(async () => {
    state.worker = await startTestWorker(databaseUrl(), options);
  });
  afterAll(async () => {
    await state.worker?.stop();
  });
  return { logs: () => state.worker?.logs() ?? [] };
}
