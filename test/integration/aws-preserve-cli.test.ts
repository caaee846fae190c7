// `caseward aws-preserve` / `aws-restore-groups` / `aws-snapshot` through the bundled CLI against the AWS fake.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { removeTree, tempDir } from '../support/app-harness.js';
import { writeAwsProfiles } from '../support/aws-case.js';
import { ensureCliBundle, runCli, type CliWorkstation } from '../support/cli-bundle.js';

describe('caseward aws-preserve, aws-restore-groups, aws-snapshot', () => {
  let root = '';
  let ws: CliWorkstation;
  let fake: AwsFake;
  let folder = '';
  let target: string[] = [];
  beforeAll(async () => {
    ensureCliBundle();
    root = tempDir('aws-preserve-cli-');
    ws = { userData: path.join(root, 'user-data'), casesDir: path.join(root, 'cases') };
    // The CLI child inherits the environment this sets.
    writeAwsProfiles(root);
    fake = await startAwsFake({ snapshotCompletionMs: 300 });
    await runCli(ws, ['profile', '--name', 'Cli Examiner', '--org', 'Test IR Ltd']);
    folder = (JSON.parse(await runCli(ws, ['create', '--json', '--number', 'CLI-P', '--title', 'CLI preservation'])) as { path: string }).path;
    target = ['--profile', 'victim', '--region', 'us-east-1', '--instance', FIXTURE.webInstanceId, '--endpoint', fake.endpoint];
  }, 180_000);
  afterAll(async () => {
    await fake?.close();
    if (root) removeTree(root);
  });

  it('refuses without --confirm, then preserves, restores and snapshots with it', async () => {
    await expect(runCli(ws, ['aws-preserve', folder, ...target, '--protect'])).rejects.toThrow(/INVALID_INPUT.*Confirm it/);
    expect(fake.calls.some((c) => c.action === 'ModifyInstanceAttribute')).toBe(false);

    const r = JSON.parse(await runCli(ws, ['aws-preserve', folder, ...target, '--tag', '--protect', '--keep-volumes', '--isolate', '--confirm', '--json'])) as { results: { outcome: string }[] };
    expect(r.results.map((x) => x.outcome)).toEqual(['done', 'done', 'done', 'done']);
    expect(fake.state.instances.get(FIXTURE.webInstanceId)!.disableApiTermination).toBe(true);
    expect(fake.state.networkInterfaces.get(FIXTURE.webEniId)!.groupIds).not.toContain(FIXTURE.webGroupId);

    await runCli(ws, ['aws-restore-groups', folder, ...target, '--confirm']);
    expect(fake.state.networkInterfaces.get(FIXTURE.webEniId)!.groupIds).toEqual([FIXTURE.webGroupId, FIXTURE.sshGroupId]);

    const snaps = JSON.parse(await runCli(ws, ['aws-snapshot', folder, ...target, '--volume', FIXTURE.webDataVolumeId, '--confirm', '--json'])) as { snapshotId: string; state: string }[];
    expect(snaps).toHaveLength(1);
    expect(snaps[0]!.state).toBe('completed');
    expect(fake.state.snapshots.get(snaps[0]!.snapshotId)!.tags).toContainEqual({ key: 'CasewardCase', value: 'CLI-P' });
    expect(await runCli(ws, ['verify-chain', folder])).toContain('OK');
  }, 120_000);
});
