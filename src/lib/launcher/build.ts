import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = [
  'src',
  'public',
  'astro.config.mjs',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];
export const SERVER_ENTRY = 'dist/server/entry.mjs';
/**
 * Node flags for the web server. V8's default young generation lets the
 * process peak near 300 MB at start (drizzle and Astro allocate a lot of
 * short-lived garbage); 8 MB semi-spaces keep it under 180 MB, and an import
 * of a million rows under 250 MB (bench:import), at no measurable speed cost.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8'];
/**
 * Environment for the web server. React picks its build from NODE_ENV when
 * first required: without `production` every page renders through React's
 * development build (prop validation, key warnings, dev-only stacks), which
 * cost /dashboard ~7 ms of CPU per request — a third of the server's work.
 */
export const SERVER_ENV = { NODE_ENV: 'production' } as const;

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when dist/ is missing or older than any source that goes into it. */
export function isBuildStale(root: string): boolean {
  const entry = join(root, SERVER_ENTRY);
  if (!existsSync(entry)) return true;
  const built = statSync(entry).mtimeMs;
  return SOURCES.some((s) => newestMtime(join(root, s)) > built);
}

/** Runs `astro build` with this Node (the project's pinned one). */
export function runBuild(root: string, options: { quiet?: boolean } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'],
      {
        cwd: root,
        // A production build whatever the caller's NODE_ENV (Vitest sets `test`, and
        // a build under it compiles JSX for React's development runtime, which
        // the server, running with SERVER_ENV, does not load).
        env: { ...process.env, ...SERVER_ENV, ASTRO_TELEMETRY_DISABLED: '1' },
        stdio: options.quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      },
    );
    let output = '';
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`astro build failed (exit ${code})\n${output.slice(-4000)}`)),
    );
  });
}

/** Builds only when needed; returns whether it did. */
export async function buildIfStale(
  root: string,
  options: { quiet?: boolean } = {},
): Promise<boolean> {
  if (!isBuildStale(root)) return false;
  await runBuild(root, options);
  return true;
}
