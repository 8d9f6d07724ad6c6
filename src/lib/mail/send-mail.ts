import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../config';
import type { DbOrTx } from '../db/client';
import { mailOutbox } from '../db/schema';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The message's one call to action (also inside `text`); the outbox shows it copyable. */
  link?: string;
}

export type MailConfig = Pick<AppConfig, 'smtpUrl' | 'mailFrom'>;

export const DEFAULT_MAIL_FROM = 'Switchboard <no-reply@switchboard.invalid>';

const transports = new Map<string, Transporter>();

function transportFor(url: string): Transporter {
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  return transport;
}

/**
 * Sends through SMTP when `SMTP_URL` is configured, else keeps the message in
 * the outbox table that platform admins read at /admin/outbox — so invites and
 * resets work end to end in the demo, where there is no mail server.
 * Where it went is returned for logs; the message itself is never logged.
 */
export async function sendMail(
  db: DbOrTx,
  config: MailConfig,
  message: MailMessage,
): Promise<'smtp' | 'outbox'> {
  if (config.smtpUrl) {
    await transportFor(config.smtpUrl).sendMail({
      from: config.mailFrom ?? DEFAULT_MAIL_FROM,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
    return 'smtp';
  }
  await db.insert(mailOutbox).values({
    toAddress: message.to,
    subject: message.subject,
    body: message.text,
    link: message.link ?? null,
  });
  return 'outbox';
}
