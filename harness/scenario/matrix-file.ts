/**
 * The nightly matrix file (`clusters/matrix.yaml`): checked against schema/matrix.schema.json and
 * turned into every cell of the CNI x Kubernetes product, with its settings and skip. Every
 * problem points at file:line:col; bad input never throws.
 */
import path from 'node:path';
import { cellId, cellSlug } from '../model/matrix-cell.js';
import type { MatrixPlan, MatrixSettings, PlannedCell } from '../model/matrix-plan.js';
import { errorsOf, type Diagnostic } from './diagnostic.js';
import { loadSchemaDocument } from './document-file.js';
import { readTextFile } from './files.js';
import type { ReadText } from './read-text.js';

interface RawMatch {
  cni?: string;
  kubernetes?: string;
}

interface RawMatrix {
  metadata: { name: string; description?: string };
  spec: {
    cni: string[];
    kubernetes: string[];
    scenarios: string[];
    history?: string;
    settings?: MatrixSettings;
    cells?: Array<{ match: RawMatch; skip?: string; settings?: MatrixSettings }>;
  };
}

export function loadMatrix(
  file: string,
  readText: ReadText = readTextFile,
): { plan?: MatrixPlan; diagnostics: Diagnostic[] } {
  const { loaded, diagnostics } = loadSchemaDocument(file, 'matrix', 'matrix', readText);
  if (!loaded) return { diagnostics };
  const raw = loaded.value as RawMatrix;
  const base = path.dirname(file);
  const overrides = raw.spec.cells ?? [];
  const used = new Set<number>();
  const cells: PlannedCell[] = [];
  for (const cniAt of raw.spec.cni) {
    const at = cniAt.indexOf('@');
    const [cni, cniVersion] = [cniAt.slice(0, at), cniAt.slice(at + 1)];
    for (const kubernetes of raw.spec.kubernetes) {
      const i = overrides.findIndex((o) => matches(o.match, cni, cniVersion, kubernetes));
      if (i >= 0) used.add(i);
      const o = i >= 0 ? overrides[i] : undefined;
      const cell = { cni, cniVersion, kubernetes };
      cells.push({
        ...cell,
        id: cellId(cell),
        slug: cellSlug(cell),
        settings: { ...raw.spec.settings, ...o?.settings },
        ...(o?.skip ? { skip: o.skip.trim() } : {}),
      });
    }
  }
  const problems: Diagnostic[] = [];
  overrides.forEach((o, i) => {
    if (!used.has(i))
      problems.push(
        loaded.document.diagnostic(
          'error',
          ['spec', 'cells', i, 'match'],
          `matches no cell that an earlier entry has not taken (cells: ${cells.map((c) => c.id).join(', ')})`,
        ),
      );
  });
  const all = [...diagnostics, ...problems];
  if (errorsOf(all).length) return { diagnostics: all };
  return {
    plan: {
      file: loaded.file,
      name: raw.metadata.name,
      ...(raw.metadata.description ? { description: raw.metadata.description } : {}),
      cells,
      scenarios: raw.spec.scenarios.map((p) => relativeTo(base, p)),
      ...(raw.spec.history ? { history: relativeTo(base, raw.spec.history) } : {}),
    },
    diagnostics: all,
  };
}

/** A path as the matrix file means it: absolute as written, else relative to the file's folder. */
const relativeTo = (base: string, p: string): string => (path.isAbsolute(p) ? p : path.join(base, p));

/** `cni: cilium` matches every Cilium version; `cni: cilium@v1.18.3` one; `kubernetes` one version. */
function matches(match: RawMatch, cni: string, cniVersion: string, kubernetes: string): boolean {
  if (match.kubernetes !== undefined && match.kubernetes !== kubernetes) return false;
  if (match.cni === undefined) return true;
  return match.cni.includes('@') ? match.cni === `${cni}@${cniVersion}` : match.cni === cni;
}
