/** Marks this test as expecting console.error output (the strict harness then lets it pass). */
export function expectConsoleError() {
  (globalThis as unknown as { __consoleErrorsAllowed: boolean }).__consoleErrorsAllowed = true;
}
