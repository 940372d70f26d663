import { didYouMean } from '../util/suggest.js';

const MAX_LISTED = 8;

/**
 * " (did you mean "x"?)" when one candidate is close, else the declared names, so every "not declared"
 * says what is allowed.
 */
export function declaredHint(word: string, candidates: Iterable<string>): string {
  const names = [...candidates];
  const suggestion = didYouMean(word, names);
  if (suggestion) return suggestion;
  if (names.length === 0) return ' (none are declared)';
  const listed = names.slice(0, MAX_LISTED).join(', ');
  return ` (declared: ${listed}${names.length > MAX_LISTED ? `, …${names.length - MAX_LISTED} more` : ''})`;
}
