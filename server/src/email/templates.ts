import type { Email } from './mailer.js';

export const verifyEmailMessage = (to: string, url: string): Email => ({
  to,
  subject: 'Confirm your email address for OpTarget',
  text: `Welcome to OpTarget.\n\nConfirm your email address by opening this link:\n${url}\n\nIf you did not sign up, ignore this email.`,
});

export const resetPasswordMessage = (to: string, url: string): Email => ({
  to,
  subject: 'Reset your OpTarget password',
  text: `Someone asked to reset the password of your OpTarget account.\n\nChoose a new password here (the link works for one hour):\n${url}\n\nIf it was not you, ignore this email; your password stays as it is.`,
});

export const inviteMessage = (to: string, tenantName: string, inviterName: string, role: string, url: string): Email => ({
  to,
  subject: `${inviterName} invited you to ${tenantName} on OpTarget`,
  text: `${inviterName} invited you to join ${tenantName} on OpTarget as ${role}.\n\nAccept the invitation (valid for 7 days):\n${url}\n`,
});
