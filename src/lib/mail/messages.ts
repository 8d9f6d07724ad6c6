import type { MailMessage } from './send-mail';

/** The mails Switchboard sends. Plain text: every client shows it, nothing to escape. */

export function inviteMessage(input: {
  to: string;
  tenantName: string;
  role: string;
  inviterName: string;
  link: string;
}): MailMessage {
  return {
    to: input.to,
    subject: `You're invited to ${input.tenantName} on Switchboard`,
    text: `${input.inviterName} invited you to join ${input.tenantName} on Switchboard as ${input.role}.

Accept the invitation (the link works once, for 7 days):
${input.link}

If you did not expect this, ignore this message.`,
    link: input.link,
  };
}

export function passwordResetMessage(input: { to: string; link: string }): MailMessage {
  return {
    to: input.to,
    subject: 'Reset your Switchboard password',
    text: `Someone asked to reset the password of the Switchboard account for this address.

Choose a new password (the link works once, for 1 hour):
${input.link}

Resetting signs you out everywhere. If you did not ask for this, ignore this message.`,
    link: input.link,
  };
}

export function emailChangeMessage(input: { to: string; link: string }): MailMessage {
  return {
    to: input.to,
    subject: 'Confirm your new Switchboard email address',
    text: `Confirm that this address should become the sign-in email of your Switchboard account
(sign in first; the link works once, for 1 hour):
${input.link}

If you did not ask for this, ignore this message.`,
    link: input.link,
  };
}

/** Sent to an address that already has an account, instead of a confirmation link. */
export function emailTakenMessage(input: { to: string }): MailMessage {
  return {
    to: input.to,
    subject: 'Switchboard email change not possible',
    text: `Someone asked to move a Switchboard account to this address, but this address already
belongs to a Switchboard account, so nothing was changed. If this was you, sign in with this
address instead. Otherwise, ignore this message.`,
  };
}

export function emailChangedNotice(input: { to: string; newEmail: string }): MailMessage {
  return {
    to: input.to,
    subject: 'Your Switchboard email address was changed',
    text: `The sign-in email of your Switchboard account was changed to ${input.newEmail}.
If you did not do this, contact your Switchboard administrator.`,
  };
}
