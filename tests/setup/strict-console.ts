import { Writable } from 'node:stream';
import { afterEach, beforeEach, vi } from 'vitest';
import { createLogger, setProcessLogger } from '../../src/lib/log';

/**
 * A test fails on an unexpected console.error, or an error line from the
 * process logger (what sync, imports and live events log). Tests that
 * expect one call `expectConsoleError()` from tests/helpers/console.ts first.
 */
const state = globalThis as unknown as {
  __consoleErrors: unknown[][];
  __consoleErrorsAllowed: boolean;
};

const ERROR_LEVEL = 50;
setProcessLogger(
  createLogger({
    name: 'test',
    destination: new Writable({
      write(chunk, _encoding, done) {
        for (const text of String(chunk).split('\n').filter(Boolean)) {
          const line = JSON.parse(text) as { level: number };
          if (line.level >= ERROR_LEVEL) state.__consoleErrors?.push(['[log]', text]);
        }
        done();
      },
    }),
  }),
);

beforeEach(() => {
  state.__consoleErrors = [];
  state.__consoleErrorsAllowed = false;
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    state.__consoleErrors.push(args);
  });
});

afterEach(() => {
  const errors = state.__consoleErrors;
  vi.mocked(console.error).mockRestore();
  if (errors.length && !state.__consoleErrorsAllowed) {
    throw new Error(
      `unexpected console.error:\n${errors.map((a) => a.map(String).join(' ')).join('\n')}`,
    );
  }
});
