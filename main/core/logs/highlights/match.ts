import type { HighlightRule, LeafCondition, RuleCondition } from './rule-schema.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Every value at a dotted path. Arrays met on the way are searched element by element, so
 * 'requestParameters.ipPermissions.items.ipRanges.items.cidrIp' reaches each range of each rule.
 */
export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const v of current) {
      const items = Array.isArray(v) ? v : [v];
      for (const item of items) if (isObject(item) && item[key] !== undefined && item[key] !== null) next.push(item[key]);
    }
    current = next;
    if (current.length === 0) return current;
  }
  // A leaf that is an array (e.g. valuesToAdd) is tested element by element too.
  return current.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

// Lenient on purpose: anonymised captures write octets with leading zeros ("075.050.255.67").
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isPrivateV4(o: number[]): boolean {
  const [a, b] = o as [number, number];
  return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
    || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
}

/**
 * Approximation of "not an AWS address": the source is a literal public IP address. CloudTrail
 * writes a service name (ec2.amazonaws.com) or "AWS Internal" when AWS itself called; real AWS
 * public ranges (ip-ranges.json) are not consulted offline, so an attacker inside EC2 still counts.
 */
export function isPublicNonAwsIp(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = IPV4.exec(v);
  if (m) {
    const octets = m.slice(1).map(Number);
    return octets.every((o) => o <= 255) && !isPrivateV4(octets);
  }
  if (!v.includes(':') || !/^[0-9a-fA-F:.]+$/.test(v)) return false;
  const lower = v.toLowerCase();
  return !(lower === '::1' || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80'));
}

function accountIds(v: unknown): string[] {
  return text(v).match(/(?<!\d)\d{12}(?!\d)/g) ?? [];
}

function testLeaf(c: LeafCondition, record: Json): boolean {
  const values = valuesAt(record, c.path);
  switch (c.op) {
    case 'exists': return values.length > 0;
    case 'notExists': return values.length === 0;
    case 'equals': return values.some((v) => v === c.value || text(v) === String(c.value));
    case 'notEquals': return values.length > 0 && values.every((v) => v !== c.value && text(v) !== String(c.value));
    case 'in': return values.some((v) => (c.value as string[]).includes(text(v)));
    case 'contains': return values.some((v) => text(v).includes(String(c.value)));
    case 'matches': return values.some((v) => new RegExp(String(c.value)).test(text(v)));
    case 'notMatches': return values.every((v) => !new RegExp(String(c.value)).test(text(v)));
    case 'cidrOpenToWorld': return values.some((v) => typeof v === 'string' && /\/0$/.test(v.trim()));
    case 'notAwsIp': return values.some(isPublicNonAwsIp);
    case 'mentionsOtherAccount': {
      const own = new Set([record.recipientAccountId, isObject(record.userIdentity) ? record.userIdentity.accountId : null]);
      return values.some((v) => accountIds(v).some((id) => !own.has(id)));
    }
  }
}

/** True when the condition holds on the raw record. */
export function testCondition(c: RuleCondition, record: Json): boolean {
  return 'anyOf' in c ? c.anyOf.some((leaf) => testLeaf(leaf, record)) : testLeaf(c, record);
}

function nameMatches(patterns: readonly string[], name: string): boolean {
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : p === name));
}

/** Cheap test on the normalised fields, before the raw record is parsed. */
export function prefilter(rule: HighlightRule, eventSource: string, eventName: string, errorCode: string | null): boolean {
  const m = rule.match;
  if (m.eventSource && !m.eventSource.includes(eventSource)) return false;
  if (m.eventName && !nameMatches(m.eventName, eventName)) return false;
  const want = m.errorCode ?? 'any';
  if (want === 'none') return errorCode === null;
  if (want === 'any') return true;
  return errorCode !== null && want.includes(errorCode);
}

/** Fills {path} or {pathA|pathB} (first one present) placeholders of a summary from the raw record. */
export function fillTemplate(template: string, record: Json): string {
  return template.replace(/\{([^{}]+)\}/g, (_, paths: string) => {
    for (const path of paths.split('|')) {
      const vs = valuesAt(record, path);
      if (vs.length > 0) return vs.map(text).join(', ');
    }
    return '?';
  });
}
