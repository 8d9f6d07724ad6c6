import { describe, expect, it } from 'vitest';
import { csvDownload } from '../../../src/lib/http/csv-download';

describe('csvDownload', () => {
  it('sends a string as a CSV attachment that is never sniffed or cached', async () => {
    const response = csvDownload('name,phone\r\n', 'contacts-acme-2026-06-10.csv');
    expect(Object.fromEntries(response.headers)).toEqual({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="contacts-acme-2026-06-10.csv"',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    expect(await response.text()).toBe('name,phone\r\n');
  });

  it('takes another cache policy when asked', () => {
    const response = csvDownload('', 't.csv', { cacheControl: 'private, max-age=3600' });
    expect(response.headers.get('cache-control')).toBe('private, max-age=3600');
  });

  it('streams a generator chunk by chunk and ends it when the download is dropped', async () => {
    const state = { pulled: 0, finished: false };
    async function* chunks() {
      try {
        for (;;) {
          state.pulled += 1;
          yield `row ${state.pulled}\r\n`;
        }
      } finally {
        state.finished = true;
      }
    }
    const reader = (csvDownload(chunks(), 'x.csv').body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('row 1\r\n');
    await reader.cancel();
    expect(state.finished).toBe(true);
    expect(state.pulled).toBeLessThan(5);
  });

  it('cannot be made to end the header by a quote or line break in the name', () => {
    const response = csvDownload('', 'a"b\r\nc.csv');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="a-b--c.csv"');
  });
});
