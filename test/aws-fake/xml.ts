/**
 * A tiny XML writer for the Query-protocol responses (EC2, STS, IAM). Values are escaped here and
 * nowhere else, so a tag value like `a<b&"c"` in a fixture cannot break the document.
 */

/** XML-escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

/** A scalar an element may carry; `undefined` and `null` drop the element entirely (AWS omits absent members). */
export type XmlScalar = string | number | boolean | Date | undefined | null;

/** AWS timestamps in XML: ISO-8601 UTC with milliseconds, e.g. 2024-05-01T08:30:00.000Z. */
export function isoTime(date: Date): string {
  return date.toISOString();
}

/** `<name>value</name>`, or '' when the value is absent; an empty string gives `<name/>` as EC2 does. */
export function el(name: string, value: XmlScalar): string {
  if (value === undefined || value === null) return '';
  const text = value instanceof Date ? isoTime(value) : String(value);
  return text === '' ? `<${name}/>` : `<${name}>${escapeXml(text)}</${name}>`;
}

/** `<name>...children...</name>` from already-rendered children; an empty body gives `<name/>`. */
export function wrap(name: string, children: string): string {
  return children === '' ? `<${name}/>` : `<${name}>${children}</${name}>`;
}

/** Several scalar members at once, in order: `fields({ a: 1, b: undefined })` → `<a>1</a>`. */
export function fields(members: Record<string, XmlScalar>): string {
  return Object.entries(members)
    .map(([name, value]) => el(name, value))
    .join('');
}

/** An EC2-style list: `<name><item>…</item>…</name>`, items rendered by `render`. */
export function itemList<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  return wrap(name, items.map((item) => `<item>${render(item)}</item>`).join(''));
}

/** A Query-style (STS/IAM) list: `<name><member>…</member>…</name>`. */
export function memberList<T>(name: string, items: readonly T[], render: (item: T) => string): string {
  return wrap(name, items.map((item) => `<member>${render(item)}</member>`).join(''));
}

/** The `tagSet` element shared by most EC2 resources. */
export function tagSet(tags: readonly { key: string; value: string }[], name = 'tagSet'): string {
  return itemList(name, tags, (t) => el('key', t.key) + el('value', t.value));
}

/** The XML declaration every AWS XML response starts with. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
