/** A segmented artifact (an E01 set) in the custody exports: its segments listed, in order, on the form and in JSON. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Artifact, EvidenceSegment } from '../../shared/types.js';
import { renderCustodyJson } from '../../main/core/reports/custody-json.js';
import { renderCustodyPdf } from '../../main/core/reports/custody-pdf.js';
import { PDF_SEGMENTS_MAX } from '../../main/core/reports/pdf-sections.js';
import { makeCustodyData, sampleArtifacts } from '../fixtures/reports/custody-data.js';

const noPoppler = spawnSync('pdftotext', ['-v']).error !== undefined;
if (noPoppler) console.warn('reports-segments: pdftotext (poppler-utils) not found; skipping the PDF read-back');

const h = (algo: string, s: string) => createHash(algo).update(s).digest('hex');
const segments: EvidenceSegment[] = Array.from({ length: 30 }, (_, i) => {
  const name = `disk.E${String(i + 1).padStart(2, '0')}`;
  return { name, size: 1_048_576 + i, md5: h('md5', name), sha1: h('sha1', name), sha256: h('sha256', name) };
});

function data() {
  const d = makeCustodyData();
  const base = sampleArtifacts()[0]!;
  const set: Artifact = { ...base, name: 'disk.E01', storedPath: `evidence/${base.id}/disk.E01`, segments };
  d.artifacts = [set];
  d.case.artifactCount = 1;
  return d;
}

describe('custody exports with a segmented artifact', () => {
  it('JSON carries every segment with its size and three hashes', () => {
    const doc = JSON.parse(renderCustodyJson(data()).toString('utf8')) as { artifacts: Artifact[] };
    expect(doc.artifacts[0]!.segments).toEqual(segments);
  });

  it.skipIf(noPoppler)('the PDF form lists the segments in order with size and SHA-256, then says how many more', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'caseward-segments-pdf-'));
    try {
      const file = path.join(dir, 'custody.pdf');
      writeFileSync(file, await renderCustodyPdf(data()));
      const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
      expect(text).toContain('30 files, in this order');
      expect(text).toContain('the E01 set as stored, not the disk image inside it');
      expect(text).toContain(`disk.E01 1048576 bytes SHA-256 ${segments[0]!.sha256}`);
      const last = segments[PDF_SEGMENTS_MAX - 1]!;
      expect(text).toContain(`${last.name} ${last.size} bytes SHA-256 ${last.sha256}`);
      expect(text).not.toContain(segments[PDF_SEGMENTS_MAX]!.sha256);
      expect(text).toContain(`and ${30 - PDF_SEGMENTS_MAX} more segments, disk.E30 last`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
