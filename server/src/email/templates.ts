import type { Role } from '@optarget/shared';
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

const roleLabel: Record<Role, string> = { OWNER: 'an owner', ADMIN: 'an admin', MEMBER: 'a member', VIEWER: 'a viewer' };

export const inviteMessage = (invite: { to: string; tenantName: string; inviterName: string; role: Role; url: string }): Email => ({
  to: invite.to,
  subject: `${invite.inviterName} invited you to ${invite.tenantName} on OpTarget`,
  text:
    `${invite.inviterName} invited you to join ${invite.tenantName} on OpTarget as ${roleLabel[invite.role]}.\n\n` +
    `Accept the invitation (the link works for 7 days):\n${invite.url}\n\n` +
    `Sign in or sign up with ${invite.to} to accept. If you did not expect this invitation, ignore this email.`,
});

export const existingAccountMessage = (to: string, publicUrl: string): Email => ({
  to,
  subject: 'Someone tried to sign up to OpTarget with your address',
  text:
    `Someone tried to create an OpTarget account with ${to}, which already has one.\n\n` +
    `If it was you, sign in here:\n${publicUrl}/sign-in\n\n` +
    `Forgot your password? Choose a new one here:\n${publicUrl}/forgot-password\n\n` +
    `If it was not you, ignore this email; nothing has changed on your account.`,
});
