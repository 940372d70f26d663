/**
 * Characters XML 1.0 cannot carry at all, not even as references (control characters such as the
 * ESC of a colour code in probe output, lone surrogates); shown as `\xNN` / `\uNNNN` instead.
 */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML and HTML, in element content and in quoted attributes alike. */
export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, (ch) => {
      const code = ch.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
    .replace(/[&<>"']/g, (ch) => XML_ENTITIES[ch]!);
}

/** Text inside a GitHub-flavoured Markdown table cell: pipes escaped, newlines flattened. */
export function escapeMarkdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, ' ')
    .replace(/[<>]/g, (ch) => (ch === '<' ? '&lt;' : '&gt;'));
}

/** Inline code in Markdown: a backtick fence longer than any run of backticks inside. */
export function markdownCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
