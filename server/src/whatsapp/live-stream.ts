import { PassThrough } from 'node:stream';
import type { TenantStreamContext } from '../http/routes.js';
import { onWhatsappChange } from './live.js';

const HEARTBEAT_MS = 15_000;
const MAX_STREAM_MS = 60 * 60 * 1000;

/**
 * Server-sent events for the inbox and the lead page: `changed` whenever the tenant's
 * conversations change (a message in or out, a status, consent, assignment), after which the page
 * reads what it shows again. Comments keep proxies from closing the stream while it is quiet.
 */
export async function streamWhatsappChanges(ctx: TenantStreamContext) {
  const stream = new PassThrough();
  const stopListening = await onWhatsappChange(ctx.services, ctx.tenantId, () => {
    stream.write(`event: changed\ndata: {}\n\n`);
  });
  const beat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const end = () => {
    clearInterval(beat);
    clearTimeout(limit);
    stopListening();
    stream.end();
  };
  const limit = setTimeout(end, MAX_STREAM_MS);
  ctx.request.raw.on('close', end);
  stream.write(': connected\n\n');
  ctx.reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('x-accel-buffering', 'no');
  return stream;
}
