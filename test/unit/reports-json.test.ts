import { describe, it, expect } from 'vitest';
import { renderCustodyJson } from '../../main/core/reports/custody-json.js';
import { makeCustodyData } from '../fixtures/reports/custody-data.js';

describe('renderCustodyJson', () => {
  const data = makeCustodyData({ events: 25 });
  const bytes = renderCustodyJson(data);
  const text = bytes.toString('utf8');
  const doc = JSON.parse(text);

  it('is pretty-printed with two spaces, a trailing newline and no BOM', () => {
    expect(text.startsWith('{\n  "format": "caseward-custody-log",\n  "version": 1,')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(bytes[0]).toBe(0x7b);
  });

  it('carries the header fields and the chain head', () => {
    expect(doc).toMatchObject({
      format: 'caseward-custody-log',
      version: 1,
      generatedAt: data.generatedAt,
      appVersion: data.appVersion,
      workstation: data.workstation,
      examiner: data.examiner,
      case: data.case,
    });
    expect(doc.chain).toEqual({
      headSeq: 25,
      headHash: data.events[24]!.hash,
      eventCount: 25,
      verified: true,
      firstBreak: null,
      problems: [],
    });
    expect(doc.artifacts).toEqual(data.artifacts);
  });

  it('carries every event unchanged, details in canonical key order', () => {
    expect(doc.events).toHaveLength(25);
    doc.events.forEach((e: Record<string, unknown>, i: number) => expect(e).toEqual(data.events[i]));
    const withZ = doc.events.find((e: { details: Record<string, unknown> }) => 'z' in e.details);
    expect(Object.keys(withZ.details)).toEqual(['note', 'result', 'z']);
  });

  it('reports a failed verification with its problems', () => {
    const broken = JSON.parse(renderCustodyJson(makeCustodyData({ events: 10, breakAt: 4 })).toString('utf8'));
    expect(broken.chain.verified).toBe(false);
    expect(broken.chain.firstBreak.seq).toBe(4);
    expect(broken.chain.problems).toHaveLength(2);
  });

  it('is deterministic', () => {
    expect(renderCustodyJson(makeCustodyData({ events: 25 })).equals(bytes)).toBe(true);
  });
});
