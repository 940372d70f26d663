import type { RunReport } from '../model/run-report.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { Reporter } from './reporter.js';

export type ReportFormat = 'json' | 'junit' | 'markdown' | 'html';

/** The pure renderer behind each final-file format. */
export const RENDERERS: Record<ReportFormat, (report: RunReport) => string> = {
  json: renderJson,
  junit: renderJunit,
  markdown: renderMarkdown,
  html: renderHtml,
};

/** Writes one file; injected so tests (and dry runs) need no disk. */
export type WriteFile = (path: string, content: string) => void | Promise<void>;

/**
 * A reporter that renders the finished report in one format and hands it to `write` at the end.
 * A failing write rejects, and the multiplexer records it without stopping the other reporters.
 */
export function fileReporter(format: ReportFormat, path: string, write: WriteFile): Reporter {
  return {
    name: `${format} (${path})`,
    onRunEnd: async (report) => {
      await write(path, RENDERERS[format](report));
    },
  };
}

/** One file reporter per requested output, e.g. `{ junit: 'out/junit.xml', html: 'out/report.html' }`. */
export function fileReporters(outputs: Partial<Record<ReportFormat, string>>, write: WriteFile): Reporter[] {
  return (Object.keys(RENDERERS) as ReportFormat[]).flatMap((format) => {
    const path = outputs[format];
    return path === undefined ? [] : [fileReporter(format, path, write)];
  });
}
