import type { JobRun } from '../../jobs/definitions.js';
import type { WhatsappConnection } from '../../settings/whatsapp.js';
import { isRetryable, needsReconnect, STOPPED_MARKETING } from '../error-codes.js';
import { GraphError, sendMessage } from '../graph.js';
import { announceWhatsappChange } from '../live.js';
import { claimRecipient, markFailed, markSent, msUntilDue, nextDue, progressOf, release, type Accepted } from './recipient.js';
import type { CampaignRow } from './view.js';
import { isCampaignStopCode, metaStopReason } from '@optarget/shared';

/** Meta's throughput limit for the number was reached: everyone waits. */
const THROUGHPUT = 130429;
/** Too many messages to this one person lately: only they wait. */
const PAIR_RATE = 131056;
const ATTEMPTS = 3;
const MAX_IN_FLIGHT = 32;
const CHECK_EVERY_MS = 500;
/** Accepted sends are written SENT together this often: one statement for many saves the database a transaction per send. */
const WRITE_SENT_EVERY_MS = 100;

export type SendEnd = { kind: 'done' } | { kind: 'halted' } | { kind: 'cancelled' } | { kind: 'stopped'; code: number; reason: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Sends the campaign's due recipients at its rate: one send starts every 1/rate seconds on a fixed
 * schedule (so the rate holds however long Meta takes to answer, up to MAX_IN_FLIGHT at once).
 * 130429 holds everyone back with a doubling delay, 131056 and transient errors only that recipient;
 * a paused portfolio or template stops the campaign. The campaign's status is read at each claim,
 * so a pause or cancel takes effect at the next send.
 */
export class CampaignSender {
  private readonly inFlight = new Map<string, Promise<void>>();
  private backoffMs = 1000;
  private backoffUntil = 0;
  private end: SendEnd | null = null;
  private failure: Error | null = null;
  private accepted: Accepted[] = [];
  private writing: Promise<void> = Promise.resolve();
  private heldLogged = false;
  sent = 0;

  /**
   * @param variables the template's variable names: named ones are sent with their names, numbered ones by order
   */
  constructor(
    private readonly job: JobRun,
    private readonly campaign: CampaignRow,
    private readonly conn: WhatsappConnection,
    private readonly variables: string[],
  ) {}

  /** Meta's template send (fixture send-template-request.json), built here once per message without a query. */
  private requestFor(to: string, values: string[]) {
    const parameters = values.map((text, i) => {
      const name = this.variables[i];
      return name && !/^\d+$/.test(name) ? { type: 'text', parameter_name: name, text } : { type: 'text', text };
    });
    const { templateName: name, templateLanguage: code } = this.campaign;
    const components = parameters.length ? [{ type: 'body', parameters }] : undefined;
    return { to, type: 'template', template: { name, language: { code }, ...(components ? { components } : {}) } };
  }

  async run(): Promise<SendEnd> {
    const writer = setInterval(() => void this.writeSent(), WRITE_SENT_EVERY_MS);
    try {
      await this.loop();
    } finally {
      await Promise.allSettled(this.inFlight.values());
      clearInterval(writer);
      await this.writeSent();
      await this.reportProgress();
    }
    if (this.failure) throw this.failure;
    return this.end ?? { kind: 'done' };
  }

  private async loop() {
    const { tenantId } = this.job;
    const interval = 1000 / this.campaign.ratePerSecond;
    let nextAt = Date.now();
    let checkedAt = Date.now();
    let due: string[] = [];
    while (!this.end && !this.failure) {
      if (Date.now() - checkedAt >= CHECK_EVERY_MS) {
        checkedAt = Date.now();
        if (await this.job.isCancelled()) return void (this.end = { kind: 'cancelled' });
        await this.reportProgress();
      }
      if (!due.length) {
        const exclude = new Set(this.inFlight.keys());
        due = await this.job.inTenant((tx) => nextDue(tx, tenantId, this.campaign.id, exclude, 200));
        if (!due.length) {
          if (this.inFlight.size) await Promise.race(this.inFlight.values());
          else {
            const wait = await this.job.inTenant((tx) => msUntilDue(tx, tenantId, this.campaign.id));
            if (wait === null) return;
            await sleep(Math.min(wait, CHECK_EVERY_MS));
          }
          continue;
        }
      }
      const now = Date.now();
      if (this.backoffUntil > now) {
        await sleep(Math.min(this.backoffUntil - now, CHECK_EVERY_MS));
        nextAt = Date.now();
        due = [];
        continue;
      }
      // Late by more than a second (a busy process): start again from now rather than burst to catch up.
      if (now - nextAt > 1000) nextAt = now;
      // Only wait when early: a timer under load fires late, and waiting for one on every send slows the rate.
      if (nextAt > now) await sleep(nextAt - now);
      nextAt += interval;
      while (this.inFlight.size >= MAX_IN_FLIGHT) await Promise.race(this.inFlight.values());
      const id = due.shift()!;
      const send = this.sendOne(id)
        .catch((err: unknown) => {
          this.failure ??= err instanceof Error ? err : new Error(String(err));
        })
        .finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, send);
    }
  }

  private async sendOne(recipientId: string) {
    const { job, campaign } = this;
    const claim = await job.inTenant((tx) => claimRecipient(tx, campaign, recipientId, job.jobId));
    if (claim.kind === 'halt') return void (this.end ??= { kind: 'halted' });
    if (claim.kind !== 'claimed') return;
    const { recipient, messageId } = claim;
    try {
      const answer = await sendMessage(job.services.config, this.conn, this.requestFor(recipient.phone, recipient.parameters ?? []));
      // A run that dies before this is written leaves the recipient SENDING: unconfirmed, never sent twice.
      this.accepted.push({ recipientId: recipient.id, messageId, answer });
      this.sent++;
      this.backoffMs = 1000;
      if (answer.held && !this.heldLogged) {
        this.heldLogged = true;
        await job.log('warn', { code: 'log.campaignHeld' });
      }
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      const failure = { code: err.code, title: err.title, details: err.details };
      const attempts = recipient.attempts + 1;
      if (err.code === THROUGHPUT) {
        // Sends already on their way meet the same limit: one wait covers them.
        if (this.backoffUntil <= Date.now()) {
          this.backoffUntil = Date.now() + this.backoffMs;
          await job.log('warn', { code: 'log.campaignThrottled', params: { seconds: this.backoffMs / 1000 } });
          this.backoffMs = Math.min(this.backoffMs * 2, 60_000);
        }
        await job.inTenant((tx) => release(tx, recipient, failure, null));
      } else if (isCampaignStopCode(err.code) || needsReconnect(err.code)) {
        // Meta paused the business portfolio's messaging or the template, or the connection is gone: nothing more can go out.
        this.end = { kind: 'stopped', code: err.code, reason: metaStopReason(err.code, err.title) };
        await job.inTenant((tx) => release(tx, recipient, failure, null));
      } else if ((err.code === PAIR_RATE || isRetryable(err.code)) && err.code !== STOPPED_MARKETING && attempts < ATTEMPTS) {
        // Meta paces one person to about one message every 6 seconds; other errors settle in seconds too.
        await job.inTenant((tx) => release(tx, recipient, failure, new Date(Date.now() + 6000 * attempts)));
      } else {
        await job.inTenant((tx) => markFailed(tx, recipient, messageId, failure));
      }
    }
  }

  /** Writes the accepted sends so far, one batch after the other. */
  private writeSent(): Promise<void> {
    const batch = this.accepted.splice(0);
    if (!batch.length) return this.writing;
    this.writing = this.writing
      .then(() => this.job.inTenant((tx) => markSent(tx, batch)))
      .catch((err: unknown) => {
        this.failure ??= err instanceof Error ? err : new Error(String(err));
      });
    return this.writing;
  }

  private async reportProgress() {
    const { done, total } = await this.job.inTenant((tx) => progressOf(tx, this.job.tenantId, this.campaign.id));
    await this.job.progress(done, total, 'sending');
    await announceWhatsappChange(this.job.services, this.job.tenantId);
  }
}
