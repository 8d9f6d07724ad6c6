import { describe, expect, it } from 'vitest';
import {
  encodeNotesCursor,
  HotListQuery,
  LeadsQuery,
  NotesQuery,
  parseQuery,
  ScheduleQuery,
} from '../../../src/lib/dashboard';

const q = (s: string) => new URLSearchParams(s);

describe('dashboard query schemas', () => {
  it('fill in defaults and ignore unknown or blank parameters', () => {
    expect(parseQuery(LeadsQuery, q('utm=x'))).toEqual({ ok: true, data: { range: '30' } });
    expect(parseQuery(HotListQuery, q('page=&sort='))).toEqual({
      ok: true,
      data: { sort: 'weightedIff', dir: 'desc', page: 1, pageSize: 25 },
    });
    const after = encodeNotesCursor({ notedAt: '2026-01-02T03:04:05.123456+00:00', id: 'n-1' });
    expect(parseQuery(NotesQuery, q(`search=+smith+&limit=10&after=${after}`))).toEqual({
      ok: true,
      data: {
        search: 'smith',
        limit: 10,
        after: { notedAt: '2026-01-02T03:04:05.123456+00:00', id: 'n-1' },
      },
    });
    // offset=0 is the first page, still accepted for old links.
    expect(parseQuery(NotesQuery, q('offset=0'))).toEqual({ ok: true, data: { limit: 50 } });
    expect(parseQuery(ScheduleQuery, q(''))).toEqual({ ok: true, data: { limit: 100 } });
  });

  it.each([
    [LeadsQuery, 'range=14', 'range', /range must be one of 7, 30, 90, all/],
    [NotesQuery, 'limit=1000', 'limit', /limit must be a whole number from 1 to 100/],
    [NotesQuery, 'limit=-1', 'limit', /limit/],
    [NotesQuery, 'offset=abc', 'offset', /offset is no longer supported: pass after/],
    [NotesQuery, 'offset=400000', 'offset', /pass after \(the previous page's nextAfter\)/],
    [NotesQuery, 'after=garbage!', 'after', /after must be a previous page's nextAfter/],
    [NotesQuery, `after=${Buffer.from('[1,2]').toString('base64url')}`, 'after', /after/],
    [NotesQuery, `search=${'a'.repeat(201)}`, 'search', /search must be at most 200/],
    [HotListQuery, 'sort=nope', 'sort', /sort must be one of candidate, market/],
    [HotListQuery, 'dir=up', 'dir', /dir must be one of asc, desc/],
    [HotListQuery, 'page=0', 'page', /page must be a whole number from 1/],
    [HotListQuery, 'pageSize=101', 'pageSize', /pageSize must be a whole number from 1 to 100/],
    [ScheduleQuery, 'limit=501', 'limit', /limit must be a whole number from 1 to 500/],
    [ScheduleQuery, 'limit=2.5', 'limit', /limit/],
  ] as const)(
    'reject %#: %s with a message naming the parameter',
    (schema, query, field, message) => {
      const result = parseQuery(schema, q(query));
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ code: 'VALIDATION', retryable: false });
      expect(result.error.message).toMatch(message);
      expect(Object.keys(result.error.fields ?? {})).toEqual([field]);
    },
  );
});
