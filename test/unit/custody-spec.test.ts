/** Keeps docs/custody-chain.md honest: its worked example must hash as the code does. */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEventText, eventHash } from '../../main/core/custody/canonical.js';

const spec = fs.readFileSync(path.resolve(__dirname, '../../docs/custody-chain.md'), 'utf8');
const examples = [...spec.matchAll(/```\n(\{"action".*\})\n```/g)].map((m) => m[1]!);

describe('custody chain spec worked example', () => {
  it('has two example events', () => {
    expect(examples).toHaveLength(2);
  });

  it('each example is the canonical form of itself and hashes to the documented value', () => {
    const documented = [...spec.matchAll(/`([0-9a-f]{64})`/g)].map((m) => m[1]!);
    let prev = '0'.repeat(64);
    for (const text of examples) {
      const e = JSON.parse(text) as { seq: number; at: string; examiner: string; workstation: string; action: string; artifactId: string | null; details: object; prevHash: string };
      expect(e.prevHash).toBe(prev);
      const fields = { ...e, details: JSON.stringify(e.details) };
      expect(canonicalEventText(fields)).toBe(text);
      const hash = eventHash(fields);
      expect(hash).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
      expect(documented).toContain(hash);
      prev = hash;
    }
  });
});

describe('canonical key order', () => {
  it('orders integer-like keys by code point, as Python sort_keys does', async () => {
    const { canonicalJson } = await import('../../main/core/custody/canonical.js');
    expect(canonicalJson({ b: 1, '10': 2, '9': 3, a: { '2': true, '10': null } })).toBe('{"10":2,"9":3,"a":{"10":null,"2":true},"b":1}');
  });
});
