import type { IncomingMessage } from 'node:http';

export type Params = Record<string, string>;

const MAX_BODY_BYTES = 1 << 20;

export class BadRequest extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Scalars as CT stores them: strings ('' for null), objects as JSON text. */
const asString = (value: unknown) =>
  value === null || value === undefined
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

/**
 * Clients send parameters in the query string, a JSON body or a form body,
 * even on POST (reference §1), so all three are merged; the body wins.
 */
export function mergeParams(query: URLSearchParams, contentType: string, body: string): Params {
  const params: Params = Object.fromEntries(query);
  const text = body.trim();
  if (!text) return params;
  if (contentType.includes('json') || (!contentType.includes('form') && text.startsWith('{'))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new BadRequest('body is not JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new BadRequest('body must be a JSON object');
    for (const [key, value] of Object.entries(parsed)) params[key] = asString(value);
    return params;
  }
  for (const [key, value] of new URLSearchParams(text)) params[key] = value;
  return params;
}

/** limit defaults to 100 and is capped there (CT's page size); offset defaults to 0. */
export function paging(params: Params): { limit: number; offset: number } {
  const limit = Number.parseInt(params.limit ?? '', 10);
  const offset = Number.parseInt(params.offset ?? '', 10);
  return {
    limit: Number.isFinite(limit) && limit > 0 ? Math.min(limit, 100) : 100,
    offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
  };
}
