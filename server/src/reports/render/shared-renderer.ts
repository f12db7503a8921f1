import { ReportRenderer } from './pool.js';

let renderer: ReportRenderer | null = null;

/** The process's one report renderer, started on first use (the API never starts one unless it renders). */
export function reportRenderer(): ReportRenderer {
  renderer ??= new ReportRenderer();
  return renderer;
}
