// @vitest-environment jsdom
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { callApi, NETWORK_FAILURE, readApiResult } from '../../../src/components/shared/api-client';
import { ErrorNotice } from '../../../src/components/shared/ErrorNotice';
import { handleApiError } from '../../../src/components/shared/handle-api-error';
import { ERROR_CODES, type ErrorCode, fail } from '../../../src/lib/api/result';
import '../dom';

const error = (code: ErrorCode, message = `server says ${code}`, extra = {}) =>
  fail(code, message, extra).error;

describe('handleApiError', () => {
  it('says for every code whether trying again helps', () => {
    const retryable = ERROR_CODES.filter((c) => handleApiError(error(c)).retryable);
    expect(retryable.sort()).toEqual(['INTERNAL', 'RATE_LIMITED']);
  });

  it('gives each code a distinct title and a hint', () => {
    const advice = ERROR_CODES.map((c) => handleApiError(error(c)));
    expect(new Set(advice.map((a) => a.title)).size).toBe(ERROR_CODES.length);
    for (const a of advice) expect(a.hint.length).toBeGreaterThan(10);
  });

  it('keeps the server’s specific words, but not an internal error’s', () => {
    expect(
      handleApiError(error('CONFLICT', 'Pause the campaign before changing it')),
    ).toMatchObject({
      message: 'Pause the campaign before changing it',
      action: 'reload',
      retryable: false,
    });
    expect(handleApiError(error('INTERNAL', 'Something went wrong. Try again.'))).toMatchObject({
      message: 'Something went wrong on our side.',
      action: 'retry',
    });
    expect(handleApiError(error('UNAUTHENTICATED'))).toMatchObject({
      action: 'sign-in',
      retryable: false,
    });
  });

  it('passes field errors through and names the wait of a rate limit', () => {
    const advice = handleApiError(
      error('VALIDATION', 'Check the campaign settings', {
        fields: { name: 'Give the campaign a name' },
      }),
    );
    expect(advice).toMatchObject({
      action: 'fix-input',
      fields: { name: 'Give the campaign a name' },
    });
    expect(
      handleApiError(error('RATE_LIMITED', 'slow down', { retryAfterSeconds: 12 })),
    ).toMatchObject({
      action: 'wait',
      retryable: true,
      hint: 'Try again in 12 seconds.',
      retryAfterSeconds: 12,
    });
  });

  it('reads a lost connection as reconnecting, and garbage as an internal error', () => {
    expect(handleApiError(NETWORK_FAILURE)).toMatchObject({
      code: 'NETWORK',
      reconnecting: true,
      retryable: true,
    });
    expect(handleApiError(new TypeError('boom'))).toMatchObject({
      code: 'INTERNAL',
      reconnecting: false,
    });
    expect(handleApiError(undefined).code).toBe('INTERNAL');
  });
});

describe('the shared fetch client', () => {
  it('answers a dropped connection with a network failure, not a throw', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    );
    try {
      const result = await callApi('/api/anything');
      expect(result).toEqual({ ok: false, error: NETWORK_FAILURE });
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('maps a bodyless HTTP failure to the code of its status', () => {
    expect(readApiResult(409, null)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', retryable: false },
    });
    expect(readApiResult(502, '<html>')).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL', retryable: true },
    });
    expect(readApiResult(200, { ok: true, data: { a: 1 } })).toEqual({ ok: true, data: { a: 1 } });
  });
});

describe('ErrorNotice', () => {
  it('offers "Try again" only when retrying helps', () => {
    const onRetry = vi.fn();
    const { rerender } = render(<ErrorNotice error={error('INTERNAL')} onRetry={onRetry} />);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(onRetry).toHaveBeenCalledOnce();
    rerender(
      <ErrorNotice
        error={error('FORBIDDEN', 'Only admins can delete campaigns')}
        onRetry={onRetry}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Only admins can delete campaigns');
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
  });

  it('shows a lost connection as a reconnecting status, not an alert', () => {
    render(<ErrorNotice error={NETWORK_FAILURE} />);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting…');
  });

  it('renders nothing without an error', () => {
    const { container } = render(<ErrorNotice error={null} />);
    expect(container).toBeEmptyDOMElement();
  });
});
