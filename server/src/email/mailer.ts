import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Db } from '../db/client.js';
import { devOutbox } from '../db/schema/index.js';

export type Email = { to: string; subject: string; text: string };
export type Mailer = { send(email: Email): Promise<void> };

/**
 * Sends over SMTP_URL when configured. Without it the email goes to the development outbox
 * (a table read by /api/dev/outbox) and only its recipient and subject are logged, so links
 * carrying tokens never reach the logs.
 */
export function createMailer(config: Config, db: Db, log: Logger): Mailer {
  if (config.SMTP_URL) {
    const transport = nodemailer.createTransport(config.SMTP_URL);
    return {
      async send(email) {
        await transport.sendMail({ from: config.EMAIL_FROM, to: email.to, subject: email.subject, text: email.text });
        log.info({ to: email.to, subject: email.subject }, 'email sent');
      },
    };
  }
  return {
    async send(email) {
      if (config.devOutboxEnabled) await db.insert(devOutbox).values(email);
      log.info({ to: email.to, subject: email.subject, outbox: config.devOutboxEnabled }, 'email not sent: SMTP_URL is not set');
    },
  };
}
