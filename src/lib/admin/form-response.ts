import type { Result } from '../api/result';
import { isFormPost, jsonResult, redirect } from '../http/responses';

/**
 * One answer for a mutation that both islands (JSON) and plain HTML forms
 * (no JavaScript) call: JSON gets the Result with its status; a form gets a
 * 303 to `success` or back to `back` with the message and per-field errors
 * in the query (`error`, `e.<field>`), which the page shows next to the fields.
 * Form values are not echoed back: some are secrets.
 */
export function answer<T>(
  request: Request,
  result: Result<T>,
  options: { success: (data: T) => string; back: string; status?: number },
): Response {
  if (!isFormPost(request)) return jsonResult(result, options.status);
  if (result.ok) return redirect(options.success(result.data));
  const url = new URL(options.back, 'http://form.invalid');
  url.searchParams.set('error', result.error.message);
  for (const [field, message] of Object.entries(result.error.fields ?? {})) {
    url.searchParams.set(`e.${field}`, message);
  }
  return redirect(`${url.pathname}${url.search}`);
}

/** What a page shows after a failed form post: the summary and the message for each field. */
export function formErrors(url: URL): { message: string | null; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key.startsWith('e.')) fields[key.slice(2)] = value.slice(0, 300);
  }
  return { message: url.searchParams.get('error')?.slice(0, 300) ?? null, fields };
}

/** Where mail links point: the configured public URL, else this request's origin. */
export function baseUrlFor(config: { publicUrl?: string }, requestUrl: URL): string {
  return config.publicUrl ?? requestUrl.origin;
}

/** `path` with the last form outcome cleared and `saved=<what>` set. */
export function withSaved(path: string, what: string): string {
  const url = new URL(path, 'http://form.invalid');
  for (const key of [...url.searchParams.keys()]) {
    if (key === 'saved' || key === 'error' || key.startsWith('e.')) url.searchParams.delete(key);
  }
  url.searchParams.set('saved', what);
  return `${url.pathname}${url.search}`;
}
