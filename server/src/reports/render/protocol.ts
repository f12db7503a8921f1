/** Messages between the report renderer (pool.ts) and its child process (render-process.ts). */
export type RenderRequest = {
  id: number;
  /** Which template: one lead's report, a list's market map, or a cover alone (the branding preview). */
  template: 'lead' | 'list' | 'cover';
  /** What to make of it: a PDF, or an SVG of the first page. */
  output: 'pdf' | 'svg';
  /** The document as JSON: the template reads it from `sys.inputs.data`, never as typst source. */
  data: string;
  logo: { bytes: Uint8Array; format: 'png' | 'jpg' | 'svg' } | null;
};

export type RenderReply =
  { id: number; ok: true; bytes: Uint8Array; pages: number; rssBytes: number } | { id: number; ok: false; error: string; rssBytes: number };
