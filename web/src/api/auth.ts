import { api } from './client';

/** better-auth endpoints under /api/auth. */
export interface AuthUser {
  id: string;
  name: string;
  email: string;
  emailVerified: boolean;
  twoFactorEnabled?: boolean;
}
export interface AuthSession {
  session: { id: string; userId: string; expiresAt: string };
  user: AuthUser;
}
export interface SessionRow {
  id: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  ipAddress?: string | null;
  userAgent?: string | null;
}
export type SignInResult = { twoFactorRedirect: true } | { twoFactorRedirect?: false; user: AuthUser };

export const authApi = {
  signUp: (body: { name: string; email: string; password: string; inviteToken?: string }) =>
    api.post<{ user: AuthUser }>('/api/auth/sign-up/email', body),
  signIn: (body: { email: string; password: string }) => api.post<SignInResult>('/api/auth/sign-in/email', body),
  verifyTotp: (body: { code: string; trustDevice?: boolean }) => api.post<unknown>('/api/auth/two-factor/verify-totp', body),
  verifyBackupCode: (body: { code: string; trustDevice?: boolean }) => api.post<unknown>('/api/auth/two-factor/verify-backup-code', body),
  signOut: () => api.post<unknown>('/api/auth/sign-out', {}),
  getSession: () => api.get<AuthSession | null>('/api/auth/get-session'),
  requestPasswordReset: (email: string) => api.post<unknown>('/api/auth/request-password-reset', { email, redirectTo: '/reset-password' }),
  resetPassword: (body: { newPassword: string; token: string }) => api.post<unknown>('/api/auth/reset-password', body),
  sendVerificationEmail: (email: string) => api.post<unknown>('/api/auth/send-verification-email', { email, callbackURL: '/verify-email' }),
  /** Every other session of the person ends with it (the server insists). */
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    api.post<{ otherSessionsRevoked: boolean }>('/api/auth/change-password', body),
  updateUser: (body: { name: string }) => api.post<unknown>('/api/auth/update-user', body),
  listSessions: () => api.get<SessionRow[]>('/api/auth/list-sessions'),
  revokeSession: (sessionId: string) => api.post<unknown>('/api/auth/revoke-session', { sessionId }),
  revokeOtherSessions: () => api.post<unknown>('/api/auth/revoke-other-sessions', {}),
  enableTwoFactor: (password: string) => api.post<{ totpURI: string; backupCodes: string[] }>('/api/auth/two-factor/enable', { password }),
  disableTwoFactor: (password: string) => api.post<unknown>('/api/auth/two-factor/disable', { password }),
  generateBackupCodes: (password: string) =>
    api.post<{ backupCodes: string[] }>('/api/auth/two-factor/generate-backup-codes', { password }),
};
