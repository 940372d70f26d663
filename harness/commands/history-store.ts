/**
 * The history store on disk: a folder of gzipped JSON Lines files, one per night (docs/matrix.md,
 * "History"; `zcat` reads them). Written whole and renamed into place, so a crash never leaves half a night; a night
 * written again (the merge job re-run) replaces itself.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { nightFileName, nightFiles, type NightFile } from '../history/nights.js';
import { HISTORY_FORMAT, type HistoryRecord } from '../history/records.js';
import { UsageError } from '../exit-codes.js';

/** Where `matrix` and `history diff` keep nights unless told otherwise (the matrix file's `history`, --history). */
export const DEFAULT_HISTORY = '.netpol-harness/history';

export function listNights(dir: string): NightFile[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    throw new UsageError(
      `cannot read the history folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return nightFiles(entries);
}

export function readNight(dir: string, night: NightFile): HistoryRecord[] {
  const file = path.join(dir, night.file);
  const bytes = readFileSync(file);
  let text: string;
  try {
    text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (e) {
    throw new UsageError(`${file}: not gzip: ${(e as Error).message}`);
  }
  const lines = text.split('\n');
  const records: HistoryRecord[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (e) {
      throw new UsageError(`${file}:${i + 1}: not a JSON record: ${(e as Error).message}`);
    }
    const v = (record as { v?: unknown }).v;
    if (v !== HISTORY_FORMAT)
      throw new UsageError(`${file}:${i + 1}: history format ${String(v)}, this version reads ${HISTORY_FORMAT}`);
    records.push(record as HistoryRecord);
  });
  return records;
}

/** Writes one night's records; returns the file written. */
export function writeNight(dir: string, startedAt: string, runId: string, records: readonly HistoryRecord[]): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, nightFileName(startedAt, runId));
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, gzipSync(records.map((r) => JSON.stringify(r)).join('\n') + '\n'));
  renameSync(temp, file);
  return file;
}
