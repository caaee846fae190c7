/** A cloud-ref artifact (an EBS snapshot) in the custody exports: its reference shown, no hash lines. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../shared/types.js';
import { renderCustodyJson } from '../../main/core/reports/custody-json.js';
import { renderCustodyPdf } from '../../main/core/reports/custody-pdf.js';
import { makeCustodyData } from '../fixtures/reports/custody-data.js';

const noPoppler = spawnSync('pdftotext', ['-v']).error !== undefined;
if (noPoppler) console.warn('reports-cloud-ref: pdftotext (poppler-utils) not found; skipping the PDF read-back');

const snapshot: Artifact = {
  id: 'a-cloud',
  kind: 'cloud-ref',
  state: 'complete',
  storage: 'cloud',
  name: 'EBS snapshot snap-0fedcba9876543210',
  description: 'EBS snapshot of vol-0a1b2c3d4e5f60011 on i-0a1b2c3d4e5f60001',
  sourcePath: 'aws:ec2:eu-west-1:123456789012:snapshot/snap-0fedcba9876543210',
  storedPath: '',
  size: null,
  hashes: null,
  addedBy: 'Zoë Examiner',
  addedAt: '2024-05-01T10:00:00.000Z',
  hashedAt: null,
  lastVerification: null,
  cloud: {
    provider: 'aws',
    region: 'eu-west-1',
    account: '123456789012',
    resourceId: 'snap-0fedcba9876543210',
    resourceType: 'ebs-snapshot',
    metadata: { volumeId: 'vol-0a1b2c3d4e5f60011', sizeGiB: 8, encrypted: true, kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/abcd', startTime: '2024-05-01T09:58:00.000Z', completionTime: '2024-05-01T09:59:30.000Z' },
    lock: { mode: 'compliance', state: 'compliance-cooloff', expiresOn: '2024-06-01T10:00:00.000Z', at: '2024-05-01T10:01:00.000Z' },
  },
};

function dataWithSnapshot() {
  const data = makeCustodyData();
  // Only the snapshot, so every hash line the PDF prints would have to be about it.
  data.artifacts = [snapshot];
  data.case.artifactCount = 1;
  return data;
}

describe('custody exports with a cloud reference', () => {
  it('JSON carries the reference and its metadata, with null size and hashes', () => {
    const doc = JSON.parse(renderCustodyJson(dataWithSnapshot()).toString('utf8')) as { artifacts: Artifact[] };
    expect(doc.artifacts[0]).toMatchObject({ kind: 'cloud-ref', size: null, hashes: null, cloud: { resourceId: 'snap-0fedcba9876543210', metadata: { sizeGiB: 8 } } });
  });

  it.skipIf(noPoppler)('the PDF form shows the snapshot, its encryption and lock, and no hash lines', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'caseward-cloudref-'));
    try {
      const file = path.join(dir, 'custody.pdf');
      writeFileSync(file, await renderCustodyPdf(dataWithSnapshot()));
      const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
      expect(text).toContain('snap-0fedcba9876543210 (ebs-snapshot), account 123456789012, region eu-west-1');
      expect(text).toContain('cloud reference (no bytes in the case, so no size and no hashes)');
      expect(text).toContain('KMS key arn:aws:kms:eu-west-1:123456789012:key/abcd');
      expect(text).toMatch(/compliance \(compliance-cooloff\) until 2024-06-01T10:00:00.000Z/);
      expect(text).not.toMatch(/SHA-256 (not hashed|[0-9a-f]{64})/);
      expect(text).not.toContain('not hashed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
