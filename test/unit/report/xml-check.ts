/**
 * A deliberately small XML reader for tests: it checks what JUnit consumers choke on (unbalanced or
 * crossed tags, raw `<` or `&` in text and attributes, unknown entities, duplicate attributes) and
 * returns the element tree so tests can count tags and read attributes back.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeXml(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw < in ${where}`);
  return raw.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare & in ${where}`);
    const char = ENTITIES[name] ?? (/^#\d+$/.test(name) ? String.fromCodePoint(Number(name.slice(1))) : undefined);
    if (char === undefined) throw new Error(`unknown entity &${name}; in ${where}`);
    return char;
  });
}

function parseAttrs(source: string, tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const rest = source.replace(/\s*([A-Za-z_:][\w:.-]*)="([^"]*)"/g, (_, name: string, value: string) => {
    if (name in attrs) throw new Error(`duplicate attribute ${name} on <${tag}>`);
    attrs[name] = unescapeXml(value, `attribute ${name} of <${tag}>`);
    return '';
  });
  if (rest.trim()) throw new Error(`malformed attributes on <${tag}>: ${rest.trim()}`);
  return attrs;
}

export function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '').replace(/<!--[\s\S]*?-->/g, (c) => {
    if (c.slice(4, -3).includes('--')) throw new Error('-- inside a comment');
    return '';
  });
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tokens = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+="[^"]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of body.matchAll(tokens)) {
    const top = stack.at(-1)!;
    if (m[6]) throw new Error(`stray < at offset ${m.index}`);
    if (m[5] !== undefined) {
      top.text += unescapeXml(m[5], `text of <${top.name}>`);
      continue;
    }
    const [, closing, name, attrs, selfClosing] = m as unknown as [string, string, string, string, string];
    if (closing) {
      if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
      stack.pop();
      continue;
    }
    const element: XmlElement = { name, attrs: parseAttrs(attrs, name), children: [], text: '' };
    top.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  if (root.children.length !== 1 || root.text.trim()) throw new Error('a document has exactly one root element');
  return root.children[0]!;
}

export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((c) => [...(c.name === name ? [c] : []), ...findAll(c, name)]);
}
