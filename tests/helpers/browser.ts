/**
 * Headless Chromium for the browser tests: playwright-core driving the
 * system's Chromium (Debian's `chromium` package), never a downloaded one.
 *
 * Outside CI a missing browser skips the browser suites with one warning;
 * with CI=true it fails them, so a CI image without Chromium can't pass green.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-gpu',
  '--no-first-run',
  '--disable-sync',
];

/** Where screenshots go (git-ignored). */
export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../e2e/artifacts');

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let warned = false;

/**
 * Whether the browser suites should run. False (after one loud warning) only
 * when Chromium is missing outside CI; under CI=true it stays true so that the
 * launch fails and the suite with it.
 */
export function browserTestsEnabled(): boolean {
  if (isExecutable(CHROMIUM_PATH) || process.env.CI === 'true') return true;
  if (!warned) {
    warned = true;
    console.warn(
      `⚠️  BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM_PATH} — install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`,
    );
  }
  return false;
}

/** `describe` for a browser suite: skipped when no browser is available outside CI. */
export function describeBrowser(name: string, fn: () => void) {
  return describe.skipIf(!browserTestsEnabled())(name, fn);
}

export interface BrowserSession {
  readonly browser: Browser;
  /**
   * A page in a fresh context (its own cookies). Closed after the test. Errors
   * the page throws or logs are collected in `problems` for the test to assert on.
   */
  newPage(options?: BrowserContextOptions): Promise<{ page: Page; problems: string[] }>;
}

/** Per test file: one Chromium, launched before the tests and closed after them. */
export function useBrowser(): BrowserSession {
  let browser: Browser | undefined;
  const contexts: { close: () => Promise<void> }[] = [];

  beforeAll(async () => {
    if (!isExecutable(CHROMIUM_PATH)) {
      throw new Error(
        `CI=true and no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
      );
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  });

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close().catch(() => {});
  });

  afterAll(async () => {
    await browser?.close();
  });

  return {
    get browser() {
      if (!browser) throw new Error('the browser is launched in beforeAll');
      return browser;
    },
    async newPage(options = {}) {
      if (!browser) throw new Error('the browser is launched in beforeAll');
      const context = await browser.newContext(options);
      contexts.push(context);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
      });
      page.on('requestfailed', (request) => {
        const error = request.failure()?.errorText ?? '';
        // Leaving a page cancels what it still had open (its live-events
        // stream, scripts, the favicon): the browser closing them, not a
        // fault. A page load that is cancelled still counts.
        if (error === 'net::ERR_ABORTED' && request.resourceType() !== 'document') return;
        problems.push(`request failed: ${request.url()} ${error}`);
      });
      return { page, problems };
    },
  };
}

/** Saves a full-page screenshot to tests/e2e/artifacts/<name>.png and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
