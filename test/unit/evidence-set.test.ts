/** Which files an evidence.add of one path brings in: the image readers' naming rules, gaps and later segments refused. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectEvidenceSet } from '../../main/core/evidence/evidence-set.js';
import { EVF_SIGNATURE } from '../../main/core/images/containers/ewf-format.js';

let dir = '';
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caseward-evset-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Creates files (EWF ones start with the EVF signature) and returns their paths. */
function files(names: string[], ewf = false): string[] {
  return names.map((n) => {
    const f = path.join(dir, n);
    fs.writeFileSync(f, ewf ? Buffer.concat([EVF_SIGNATURE, Buffer.from(n)]) : `bytes of ${n}`);
    return f;
  });
}

describe('detectEvidenceSet', () => {
  it('finds numbered, zero-based and lettered split sets in order', async () => {
    const num = files(['img.001', 'img.002', 'img.003', 'other.004']);
    expect(await detectEvidenceSet(num[0]!)).toEqual({ kind: 'split-raw', files: num.slice(0, 3) });
    const zero = files(['z.000', 'z.001']);
    expect(await detectEvidenceSet(zero[0]!)).toEqual({ kind: 'split-raw', files: zero });
    const alpha = files(['xaa', 'xab', 'xac']);
    expect(await detectEvidenceSet(alpha[0]!)).toEqual({ kind: 'split-raw', files: alpha });
  });

  it('finds E01 sets, lower case too, and leaves a lone E01 or plain file a single file', async () => {
    const e = files(['disk.E01', 'disk.E02'], true);
    expect(await detectEvidenceSet(e[0]!)).toEqual({ kind: 'ewf', files: e });
    const lower = files(['low.e01', 'low.e02', 'low.e03'], true);
    expect((await detectEvidenceSet(lower[0]!)).files).toEqual(lower);
    const lone = files(['lone.E01'], true);
    expect(await detectEvidenceSet(lone[0]!)).toEqual({ kind: 'file', files: lone });
    const [plain] = files(['notes.txt']);
    expect(await detectEvidenceSet(plain!)).toEqual({ kind: 'file', files: [plain] });
    const [single] = files(['only.001']);
    expect(await detectEvidenceSet(single!)).toEqual({ kind: 'file', files: [single] });
  });

  it('refuses a gap, naming the missing segment', async () => {
    const e = files(['gap.E01', 'gap.E03'], true);
    await expect(detectEvidenceSet(e[0]!)).rejects.toMatchObject({ code: 'FILE_MISSING', message: expect.stringContaining('segment gap.E02 is missing but gap.E03 exists') });
    const s = files(['hole.001', 'hole.003']);
    await expect(detectEvidenceSet(s[0]!)).rejects.toMatchObject({ code: 'FILE_MISSING', message: expect.stringContaining('hole.002 is missing') });
  });

  it('refuses a later segment alone and points to the first', async () => {
    const e = files(['d.E01', 'd.E02'], true);
    await expect(detectEvidenceSet(e[1]!)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('add d.E01') });
    const s = files(['s.001', 's.002']);
    await expect(detectEvidenceSet(s[1]!)).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('add s.001') });
    const z = files(['t.000', 't.001']);
    await expect(detectEvidenceSet(z[1]!)).rejects.toMatchObject({ message: expect.stringContaining('add t.000') });
    const a = files(['yaa', 'yab']);
    await expect(detectEvidenceSet(a[1]!)).rejects.toMatchObject({ message: expect.stringContaining('add yaa') });
  });

  it('adds a file merely named like a later segment as itself', async () => {
    // No EVF signature: not an EWF segment, whatever the name says; no first split segment beside it.
    const [e02] = files(['report.E02']);
    expect(await detectEvidenceSet(e02!)).toEqual({ kind: 'file', files: [e02] });
    const [n] = files(['log.002']);
    expect(await detectEvidenceSet(n!)).toEqual({ kind: 'file', files: [n] });
  });
});
