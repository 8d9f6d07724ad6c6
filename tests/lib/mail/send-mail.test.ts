/**
 * sendMail: the outbox without SMTP_URL (the demo), a real SMTP conversation
 * with it — against a minimal SMTP server in this file, so nothing leaves the machine.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOutbox } from '../../../src/lib/mail/outbox';
import { sendMail } from '../../../src/lib/mail/send-mail';
import { useTestDatabase } from '../../helpers/db';

const t = useTestDatabase();

/** Just enough SMTP (RFC 5321) for one client: records each message's envelope and data. */
function fakeSmtp() {
  const received: { from: string; to: string[]; data: string }[] = [];
  const server: Server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let current = { from: '', to: [] as string[], data: '' };
    socket.write('220 fake.smtp ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          current.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          received.push(current);
          current = { from: '', to: [], data: '' };
          socket.write('250 queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol === -1) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 fake.smtp\r\n');
        else if (verb === 'MAIL') {
          current.from = line;
          socket.write('250 ok\r\n');
        } else if (verb === 'RCPT') {
          current.to.push(line);
          socket.write('250 ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
          return;
        } else socket.write('250 ok\r\n');
      }
    });
  });
  return { server, received };
}

describe('sendMail', () => {
  const smtp = fakeSmtp();
  let url = '';
  beforeAll(async () => {
    smtp.server.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const address = smtp.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    url = `smtp://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((done) => smtp.server.close(() => done())));

  it('keeps the message in the outbox when no SMTP server is configured', async () => {
    const where = await sendMail(
      t.db,
      { mailFrom: 'Switchboard <no-reply@example.test>' },
      {
        to: 'ann@example.test',
        subject: 'Hello',
        text: 'Body https://x.test/a',
        link: 'https://x.test/a',
      },
    );
    expect(where).toBe('outbox');
    const { messages, total } = await listOutbox(t.db);
    expect(total).toBe(1);
    expect(messages[0]).toMatchObject({
      toAddress: 'ann@example.test',
      subject: 'Hello',
      body: 'Body https://x.test/a',
      link: 'https://x.test/a',
    });
  });

  it('sends through SMTP when SMTP_URL is set, and writes no outbox row', async () => {
    const before = (await listOutbox(t.db)).total;
    const where = await sendMail(
      t.db,
      { smtpUrl: url, mailFrom: 'Switchboard <no-reply@example.test>' },
      { to: 'bob@example.test', subject: 'Reset your password', text: 'Open https://x.test/r' },
    );
    expect(where).toBe('smtp');
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.from).toContain('no-reply@example.test');
    expect(smtp.received[0]?.to.join()).toContain('bob@example.test');
    expect(smtp.received[0]?.data).toContain('Subject: Reset your password');
    expect(smtp.received[0]?.data).toContain('https://x.test/r');
    expect((await listOutbox(t.db)).total).toBe(before);
  });

  it('pages the outbox newest first', async () => {
    for (let i = 0; i < 30; i++) {
      await sendMail(
        t.db,
        { mailFrom: 'x <x@example.test>' },
        { to: `p${i}@example.test`, subject: `#${i}`, text: '.' },
      );
    }
    const first = await listOutbox(t.db, 1);
    expect(first.messages[0]?.subject).toBe('#29');
    expect(first.messages).toHaveLength(25);
    const second = await listOutbox(t.db, 2);
    expect(second.messages).toHaveLength(first.total - 25);
    expect((await listOutbox(t.db, -4)).page).toBe(1);
  });
});
