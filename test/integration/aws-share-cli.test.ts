// `caseward aws-snapshot-share` / `aws-snapshot-copy` / `aws-snapshot-lock` through the bundled CLI against the AWS fake.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, FORENSIC_ACCOUNT_ID, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { removeTree, tempDir } from '../support/app-harness.js';
import { writeAwsProfiles } from '../support/aws-case.js';
import { ensureCliBundle, runCli, type CliWorkstation } from '../support/cli-bundle.js';

describe('caseward aws-snapshot-share, aws-snapshot-copy, aws-snapshot-lock', () => {
  let root = '';
  let ws: CliWorkstation;
  let fake: AwsFake;
  let folder = '';
  let conn: string[] = [];
  const snap = FIXTURE.completedSnapshotId;
  beforeAll(async () => {
    ensureCliBundle();
    root = tempDir('aws-share-cli-');
    ws = { userData: path.join(root, 'user-data'), casesDir: path.join(root, 'cases') };
    writeAwsProfiles(root);
    fake = await startAwsFake({ snapshotCompletionMs: 300 });
    await runCli(ws, ['profile', '--name', 'Cli Examiner', '--org', 'Test IR Ltd']);
    folder = (JSON.parse(await runCli(ws, ['create', '--json', '--number', 'CLI-S', '--title', 'CLI share'])) as { path: string }).path;
    conn = ['--profile', 'victim', '--region', 'us-east-1', '--endpoint', fake.endpoint];
  }, 180_000);
  afterAll(async () => {
    await fake?.close();
    if (root) removeTree(root);
  });

  it('refuses without --confirm, then shares, copies into an artifact and locks with it', async () => {
    await expect(runCli(ws, ['aws-snapshot-share', folder, ...conn, '--snapshot', snap, '--account', FORENSIC_ACCOUNT_ID])).rejects.toThrow(/INVALID_INPUT.*Confirm it/);
    expect(fake.calls.some((c) => c.action === 'ModifySnapshotAttribute')).toBe(false);
    const shared = await runCli(ws, ['aws-snapshot-share', folder, ...conn, '--snapshot', snap, '--account', FORENSIC_ACCOUNT_ID, '--confirm']);
    expect(shared).toMatch(/^SHARED: /);
    expect(shared).toMatch(/ec2:ModifySnapshotAttribute request [0-9a-f-]{36}/);
    expect([...fake.state.snapshots.get(snap)!.createVolumePermission]).toEqual([FORENSIC_ACCOUNT_ID]);

    const key = `arn:aws:kms:us-east-1:111122223333:key/${FIXTURE.cmkKeyId}`;
    const refs = JSON.parse(await runCli(ws, ['aws-snapshot-copy', folder, ...conn, '--snapshot', snap, '--kms-key', key, '--confirm', '--json'])) as { snapshotId: string; artifactId: string; state: string }[];
    expect(refs).toHaveLength(1);
    expect(refs[0]).toMatchObject({ state: 'completed', encrypted: true, kmsKeyId: key });

    await expect(runCli(ws, ['aws-snapshot-lock', folder, ...conn, '--snapshot', refs[0]!.snapshotId, '--mode', 'compliance', '--days', '1', '--confirm'])).rejects.toThrow(/typedConfirmation|typed/);
    const locked = await runCli(ws, ['aws-snapshot-lock', folder, ...conn, '--snapshot', refs[0]!.snapshotId, '--mode', 'compliance', '--days', '1', '--typed-confirmation', refs[0]!.snapshotId, '--confirm']);
    expect(locked).toMatch(/^LOCKED: .* compliance mode/);

    const listing = await runCli(ws, ['artifacts', folder]);
    expect(listing).toContain(`${refs[0]!.artifactId}  EBS snapshot ${refs[0]!.snapshotId}  [cloud-ref]  ${refs[0]!.snapshotId} in us-east-1, account 111122223333, locked (compliance)`);
    expect(await runCli(ws, ['verify-chain', folder])).toContain('OK');
  }, 120_000);
});
