// What each of Meta's error codes means for us (fixtures README, Meta's error-code reference).
import { UNREACHABLE } from './graph.js';

/** Worth trying again later: throughput, per-recipient pacing, transient outages, unreachable. */
const retryable = new Set([UNREACHABLE, 130429, 131056, 4, 80007, 1, 2, 131000, 131016, 133004, 131057]);

export const isRetryable = (code: number) => retryable.has(code);

/** The person stopped marketing messages: the lead is opted out at once. */
export const STOPPED_MARKETING = 131050;

/** Outside the 24-hour window: only a template can reach the person now. */
export const OUTSIDE_WINDOW = 131047;

/** Meta could not use the media of the message (an id it no longer has): upload the file again and retry. */
export const MEDIA_UNUSABLE = 131053;

/** The access token or the app's permissions are no longer valid: the tenant must reconnect. */
export const needsReconnect = (code: number) => code === 190 || code === 0 || code === 10 || (code >= 200 && code <= 299);

/** Sends are retried this often, with growing delays, for the retryable codes only. */
export const SEND_RETRY = { limit: 3, delaySeconds: 2, backoff: true };
