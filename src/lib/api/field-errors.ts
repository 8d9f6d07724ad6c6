import type { z } from 'zod';

/**
 * Zod issues → `{ field: first message }` and a one-line summary, the shape
 * of a VALIDATION error's `fields`. `nested` keys by the whole path
 * (`window.days`), otherwise by the top-level field (`tags` for `tags.3`).
 */
export function fieldErrors(
  error: z.ZodError,
  options: { fallback?: string; nested?: boolean } = {},
): { message: string; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const name =
      (options.nested ? issue.path.join('.') : String(issue.path[0] ?? '')) ||
      (options.fallback ?? 'body');
    fields[name] ??= issue.message;
  }
  return { message: Object.values(fields).join('; '), fields };
}
