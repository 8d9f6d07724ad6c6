const state = globalThis as unknown as {
  __consoleErrorsAllowed: boolean;
  __consoleErrors: unknown[][];
};

/**
 * Marks this test as expecting console.error output or a logged error (the
 * strict harness then lets it pass).
 */
export function expectConsoleError() {
  state.__consoleErrorsAllowed = true;
}

/** The error lines the process logger wrote during this test, as JSON text. */
export function loggedErrors(): string[] {
  return state.__consoleErrors.filter((a) => a[0] === '[log]').map((a) => String(a[1]));
}
