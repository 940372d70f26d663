/**
 * The history store is a folder with one JSON Lines file per night, gzipped (a night of four
 * cells is about 120,000 records), named so that names sort by time:
 * `2026-11-30T20-15-02Z_k3x9.jsonl.gz` (colons would break artifact uploads and Windows
 * checkouts). Plain `.jsonl` files are read too. This file names nights and picks the two a diff
 * compares; reading and writing the files is the shell's (commands/history-store.ts).
 */
export const NIGHT_FILE = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z_([a-z0-9-]+)\.jsonl(\.gz)?$/;

export interface NightFile {
  readonly file: string;
  /** ISO 8601, to the second. */
  readonly startedAt: string;
  readonly run: string;
}

export function nightFileName(startedAt: string, runId: string): string {
  const t = new Date(startedAt).toISOString().slice(0, 19).replace(/:/g, '-');
  return `${t}Z_${runId.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.jsonl.gz`;
}

/** The night files among a folder's entries, oldest first; anything else in the folder is ignored. */
export function nightFiles(entries: readonly string[]): NightFile[] {
  return entries
    .flatMap((file) => {
      const m = NIGHT_FILE.exec(file);
      return m ? [{ file, startedAt: `${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`, run: m[5]! }] : [];
    })
    .sort((x, y) => x.file.localeCompare(y.file));
}

export type Since =
  { readonly kind: 'last' } | { readonly kind: 'date'; readonly text: string; readonly until: number };

/** `last`, a date (`2026-11-29`: that day counts whole) or an ISO timestamp; undefined when unreadable. */
export function parseSince(text: string): Since | undefined {
  if (text === 'last') return { kind: 'last' };
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) return undefined;
  return { kind: 'date', text, until: dateOnly ? ms + 86_400_000 - 1 : ms };
}

export type NightPair = { readonly before: NightFile; readonly after: NightFile } | { readonly error: string };

/** The latest night, and the one to compare it with: the one before it, or the last at or before a date. */
export function pickNights(nights: readonly NightFile[], since: Since): NightPair {
  const after = nights.at(-1);
  if (!after) return { error: 'the history holds no night yet' };
  const earlier = nights.slice(0, -1);
  if (earlier.length === 0)
    return { error: `the history holds one night (${after.startedAt}): nothing to compare it with` };
  if (since.kind === 'last') return { before: earlier.at(-1)!, after };
  const before = earlier.filter((n) => Date.parse(n.startedAt) <= since.until).at(-1);
  if (!before)
    return {
      error:
        `no night before ${after.startedAt} started on or before ${since.text} ` +
        `(the first is ${earlier[0]!.startedAt})`,
    };
  return { before, after };
}
