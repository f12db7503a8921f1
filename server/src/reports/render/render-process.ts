// The child process that compiles reports with typst. typst keeps memoised results for the life
// of the process, so the pool (pool.ts) replaces this process after a number of documents or
// above a memory bound; it answers each request with its resident memory for that decision.
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { loadReportFonts } from './fonts.js';
import type { RenderReply, RenderRequest } from './protocol.js';
import { reportTemplates } from './templates.js';

const compiler = NodeCompiler.create({ workspace: '/', fontArgs: [{ fontBlobs: loadReportFonts() }] });
/** Cached results are pruned every this many documents: often enough to slow growth, rarely enough to cost nothing. */
const EVICT_EVERY = 25;
let rendered = 0;

function render(request: RenderRequest): RenderReply {
  if (request.logo) compiler.mapShadow('/logo', Buffer.from(request.logo.bytes));
  else compiler.unmapShadow('/logo');
  const result = compiler.compile({ mainFileContent: reportTemplates[request.template], inputs: { data: request.data } });
  const document = result.result;
  const error = result.takeError();
  if (!document || error) {
    const details = error?.shortDiagnostics.map((diagnostic: { message?: string }) => diagnostic.message).join('; ');
    return { id: request.id, ok: false, error: details || 'the report could not be laid out', rssBytes: process.memoryUsage.rss() };
  }
  const bytes = request.output === 'svg' ? Buffer.from(compiler.svg(document), 'utf8') : compiler.pdf(document);
  // Drops cached results no recent document used, which slows the growth between replacements.
  if (++rendered % EVICT_EVERY === 0) compiler.evictCache(10);
  return { id: request.id, ok: true, bytes, pages: document.numOfPages, rssBytes: process.memoryUsage.rss() };
}

process.on('message', (request: RenderRequest) => {
  let reply: RenderReply;
  try {
    reply = render(request);
  } catch (err) {
    reply = { id: request.id, ok: false, error: err instanceof Error ? err.message : String(err), rssBytes: process.memoryUsage.rss() };
  }
  process.send!(reply);
});
// The parent went away: nothing is left to render for.
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });
