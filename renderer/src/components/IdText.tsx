/** Text that names AWS resources: each resource id is kept on one line instead of breaking at its hyphen. */
import type { ReactNode } from 'react';

// EC2/EBS ids are a short prefix, a hyphen and 8 or 17 hex digits; an examiner reads and compares them whole.
const AWS_ID = /\b(?:i|vol|snap|eni|sg|subnet|vpc|ami|igw|rtb|acl|eipalloc|lt)-[0-9a-f]{8}(?:[0-9a-f]{9})?\b/g;

/** Splits `text` into plain runs and unbreakable AWS ids; the visible text is unchanged. */
export function splitIds(text: string): { text: string; id: boolean }[] {
  const parts: { text: string; id: boolean }[] = [];
  let last = 0;
  for (const m of text.matchAll(AWS_ID)) {
    const at = m.index;
    if (at > last) parts.push({ text: text.slice(last, at), id: false });
    parts.push({ text: m[0], id: true });
    last = at + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), id: false });
  return parts;
}

/** Renders `text` with its AWS resource ids unbroken. */
export function IdText({ text }: { text: string }): ReactNode {
  return splitIds(text).map((p, i) =>
    p.id ? (
      <span key={i} className="nowrap">
        {p.text}
      </span>
    ) : (
      p.text
    ),
  );
}
