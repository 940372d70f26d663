/** Deepest nesting a scenario or policy file may use; real ones stay under 20 levels. */
export const MAX_NESTING_DEPTH = 100;

/** A quote starts a quoted scalar only where a scalar can start: `'` in `it's` or `a b 'c` is plain text. */
const QUOTE_OPENERS = new Set(['\n', '[', '{', ',', ':', '-', '?']);

/**
 * The offset where `text` nests deeper than `max` levels, or undefined. A linear pre-scan run
 * before the YAML parser: its parser and composer work per level, so 100k levels of `[[[[` cost
 * seconds and hundreds of MiB before failing with a stack overflow. It counts flow brackets,
 * indentation steps and compact `- - -` sequences; it over-approximates (a bracket inside a
 * block scalar counts), which only matters for input past `max`.
 */
export function excessiveNesting(text: string, max = MAX_NESTING_DEPTH): number | undefined {
  const indents: number[] = [];
  let flow = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (i === 0 || c === '\n') {
      const start = c === '\n' ? i + 1 : i;
      if (flow === 0 && blockDepth(text, start, indents) > max) return start;
      if (c === '\n') continue;
    }
    const previous = i === 0 ? '\n' : text[i - 1]!;
    if (c === '#' && (previous === ' ' || previous === '\t' || previous === '\n')) {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
    } else if ((c === '"' || c === "'") && QUOTE_OPENERS.has(previousNonBlank(text, i))) {
      quote = c;
    } else if (c === '[' || c === '{') {
      if (++flow + indents.length > max) return i;
    } else if ((c === ']' || c === '}') && flow > 0) {
      flow--;
    }
  }
  return undefined;
}

/** Block nesting at the line starting at `start`: open indentation levels plus compact `- ` items. */
function blockDepth(text: string, start: number, indents: number[]): number {
  let j = start;
  while (text[j] === ' ') j++;
  const indent = j - start;
  if (j >= text.length || text[j] === '\n' || text[j] === '#' || text[j] === '\r') return indents.length;
  while (indents.length && indents[indents.length - 1]! >= indent) indents.pop();
  indents.push(indent);
  let dashes = 0;
  while (text[j] === '-' && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
    dashes++;
    j += 2;
    while (text[j] === ' ') j++;
  }
  return indents.length + dashes;
}

function previousNonBlank(text: string, i: number): string {
  let j = i - 1;
  while (j >= 0 && (text[j] === ' ' || text[j] === '\t')) j--;
  return j < 0 ? '\n' : text[j]!;
}
