/** The files `check --report FILE` writes, in the format its extension names. */
import type { CheckReport } from '../model/check-report.js';
import { renderCheckHtml } from './check-html.js';
import { renderCheckMarkdown } from './check-markdown.js';

export type CheckReportFormat = 'json' | 'markdown' | 'html';

const BY_EXTENSION: Record<string, CheckReportFormat> = {
  '.json': 'json',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
};

export const CHECK_REPORT_EXTENSIONS = Object.keys(BY_EXTENSION);

/** The format a file name asks for, or undefined for an extension no renderer writes. */
export function checkReportFormat(file: string): CheckReportFormat | undefined {
  const dot = file.lastIndexOf('.');
  return dot > file.lastIndexOf('/') ? BY_EXTENSION[file.slice(dot).toLowerCase()] : undefined;
}

export const CHECK_RENDERERS: Record<CheckReportFormat, (report: CheckReport) => string> = {
  json: (report) => `${JSON.stringify(report, null, 2)}\n`,
  markdown: renderCheckMarkdown,
  html: renderCheckHtml,
};
