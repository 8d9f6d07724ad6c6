import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, errorReporter, loggablePath, requestIdFrom } from '../../../src/lib/log';
import { expectConsoleError, loggedErrors } from '../../helpers/console';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger({ name: 'test', destination }), text: () => lines.join('') };
}

describe('createLogger', () => {
  it('writes JSON lines with the process name and an ISO time', () => {
    const { log, text } = capture();
    log.info({ requestId: 'r-1' }, 'hello');
    const line = JSON.parse(text());
    expect(line).toMatchObject({ name: 'test', level: 30, msg: 'hello', requestId: 'r-1' });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('redacts known secret fields at the top level and one level down', () => {
    const { log, text } = capture();
    log.info(
      {
        token: 'CANARY-1',
        tenant: { clienttetherWebKey: 'CANARY-2', bolnaApiKey: 'CANARY-3', name: 'Acme' },
        headers: { cookie: 'sb_session=CANARY-4', authorization: 'Bearer CANARY-5' },
      },
      'with secrets',
    );
    expect(text()).not.toMatch(/CANARY/);
    expect(text()).toContain('Acme');
  });

  it('logs an error as its type and stack only, not its properties (driver parameters)', () => {
    const { log, text } = capture();
    const error = Object.assign(new Error('insert failed'), { parameters: ['CANARY-PARAM'] });
    log.error({ err: error }, 'failed');
    const line = JSON.parse(text());
    expect(line.err.type).toBe('Error');
    expect(line.err.stack).toContain('insert failed');
    expect(text()).not.toContain('CANARY-PARAM');
  });
});

describe('errorReporter', () => {
  it('writes an error line to the process logger with its scope, and an error as its stack only', () => {
    expectConsoleError();
    const error = Object.assign(new Error('notify failed'), { parameters: ['CANARY-PARAM'] });
    errorReporter('events')('could not open a live event stream', error);
    errorReporter('imports')('import 7 failed');
    const [first, second] = loggedErrors().map((text) => JSON.parse(text));
    expect(first).toMatchObject({
      level: 50,
      scope: 'events',
      msg: 'could not open a live event stream',
      err: { type: 'Error', stack: expect.stringContaining('notify failed') },
    });
    expect(JSON.stringify(first)).not.toContain('CANARY-PARAM');
    expect(second).toMatchObject({ scope: 'imports', msg: 'import 7 failed' });
    expect(second).not.toHaveProperty('err');
  });
});

describe('loggablePath', () => {
  it('replaces path tokens of webhooks, invitations and resets', () => {
    expect(loggablePath('/api/webhooks/calls/abc123secret')).toBe('/api/webhooks/calls/:token');
    expect(loggablePath('/invite/INVITETOKEN')).toBe('/invite/:token');
    expect(loggablePath('/reset-password/RESETTOKEN')).toBe('/reset-password/:token');
    expect(loggablePath('/api/campaigns/42')).toBe('/api/campaigns/42');
  });
});

describe('requestIdFrom', () => {
  it('keeps a plain short id and replaces anything else', () => {
    expect(requestIdFrom(new Headers({ 'x-request-id': 'lb-1234abcd' }))).toBe('lb-1234abcd');
    for (const bad of ['short', 'x'.repeat(65), 'with space', '{"level":60}'])
      expect(requestIdFrom(new Headers({ 'x-request-id': bad }))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(new Headers())).toMatch(/^[0-9a-f-]{36}$/);
  });
});
