import { afterEach, beforeEach, vi } from 'vitest';

/**
 * A test fails on an unexpected console.error. Tests that expect one call
 * `expectConsoleError()` from tests/helpers/console.ts first.
 */
const state = globalThis as unknown as {
  __consoleErrors: unknown[][];
  __consoleErrorsAllowed: boolean;
};

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
