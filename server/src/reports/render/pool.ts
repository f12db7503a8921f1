import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RenderReply, RenderRequest } from './protocol.js';

export type RenderedPdf = { pdf: Buffer; pages: number };
export type RendererLimits = {
  /** A child is replaced after compiling this many documents… */
  maxDocuments: number;
  /** …or as soon as its resident memory passes this many bytes. */
  maxRssBytes: number;
};

export const defaultRendererLimits: RendererLimits = { maxDocuments: 200, maxRssBytes: 400 * 1024 * 1024 };

/** Started from source (tests, tsx) the child is TypeScript run through tsx; from the bundle, the built file beside it. */
function childEntry(): { file: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const file = fileURLToPath(new URL(fromSource ? './render-process.ts' : './render-process.js', import.meta.url));
  return { file, execArgv: fromSource ? ['--import', 'tsx'] : [] };
}

type Rendered = { bytes: Buffer; pages: number };
type Pending = { resolve: (r: Rendered) => void; reject: (e: Error) => void };

/** One typst child process at a time, fed one document at a time, and replaced before its memory grows large. */
export class ReportRenderer {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private documents = 0;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private queue: Promise<unknown> = Promise.resolve();
  /** How many child processes were started: the bench shows replacements happen. */
  started = 0;
  /** The resident memory the current child last reported. */
  childRssBytes = 0;

  constructor(private readonly limits: RendererLimits = defaultRendererLimits) {}

  render(template: RenderRequest['template'], data: unknown, logo: RenderRequest['logo']): Promise<RenderedPdf> {
    return this.enqueue(template, 'pdf', data, logo).then(({ bytes, pages }) => ({ pdf: bytes, pages }));
  }

  /** The document as SVG (the branding preview's cover). */
  async renderSvg(template: RenderRequest['template'], data: unknown, logo: RenderRequest['logo']): Promise<string> {
    return (await this.enqueue(template, 'svg', data, logo)).bytes.toString('utf8');
  }

  private enqueue(template: RenderRequest['template'], output: RenderRequest['output'], data: unknown, logo: RenderRequest['logo']) {
    const run = this.queue.then(() => this.renderNow(template, output, data, logo));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close() {
    await this.queue;
    this.stopChild();
  }

  private async renderNow(
    template: RenderRequest['template'],
    output: RenderRequest['output'],
    data: unknown,
    logo: RenderRequest['logo'],
  ): Promise<Rendered> {
    if (!this.child || this.documents >= this.limits.maxDocuments || this.childRssBytes > this.limits.maxRssBytes) this.replaceChild();
    // The channel keeps this process alive while a document is on its way (and the child starting).
    this.child!.channel?.ref();
    await this.ready;
    const id = this.nextId++;
    const done = new Promise<Rendered>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const request: RenderRequest = { id, template, output, data: JSON.stringify(data), logo };
    this.child!.send(request);
    this.documents++;
    return done;
  }

  private replaceChild() {
    this.stopChild();
    const { file, execArgv } = childEntry();
    const child = fork(file, [], { execArgv, serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child = child;
    this.documents = 0;
    this.childRssBytes = 0;
    this.started++;
    this.ready = new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`The report renderer stopped (exit code ${code}) before it was ready.`)));
    });
    this.ready.catch(() => undefined);
    child.on('message', (reply: RenderReply | { ready: true }) => {
      if (!('id' in reply)) return;
      this.childRssBytes = reply.rssBytes;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) child.channel?.unref();
      if (reply.ok) waiting?.resolve({ bytes: Buffer.from(reply.bytes), pages: reply.pages });
      else waiting?.reject(new Error(reply.error));
    });
    child.on('exit', () => {
      if (this.child === child) this.child = null;
      for (const [, waiting] of this.pending) waiting.reject(new Error('The report renderer stopped while rendering.'));
      this.pending.clear();
    });
    // An idle renderer does not keep the process alive.
    child.unref();
    child.channel?.unref();
  }

  private stopChild() {
    if (!this.child) return;
    this.child.removeAllListeners('exit');
    this.child.kill();
    this.child = null;
  }
}
