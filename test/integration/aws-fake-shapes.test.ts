/**
 * The AWS fake's XML against real EC2 responses (../shared/testdata/ec2-xml-responses: XML with the
 * JSON botocore parses from it). Both are parsed by the same independent parsers — the SDK's
 * deserializer and the AWS CLI's — and compared by shape: every field path a real response has,
 * the fake has too, with the same type. A leaf count catches elements the parsers would silently
 * drop (a misspelt element name parses to nothing).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CopySnapshotCommand,
  CreateSecurityGroupCommand,
  CreateSnapshotsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeLockedSnapshotsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  GetConsoleOutputCommand,
  LockSnapshotCommand,
} from '@aws-sdk/client-ec2';
import { FIXTURE, TEST_CREDENTIALS, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import { fakeEbs, fakeEc2 } from '../aws-fake/clients.js';

const execFileAsync = promisify(execFile);
const DATA = fileURLToPath(new URL('../../../shared/testdata/', import.meta.url));
const XML_DIR = `${DATA}ec2-xml-responses/`;
const haveData = fs.existsSync(XML_DIR);
const haveCli = fs.existsSync('/usr/bin/aws');
if (!haveData) console.warn(`aws-fake shape tests skipped: ${XML_DIR} is absent`);
if (haveData && !haveCli) console.warn('aws-fake shape tests: /usr/bin/aws absent, CLI cross-check skipped');

const SAMPLES = { DescribeInstances: 'ec2-describe-instances', DescribeVolumes: 'ec2-describe-volumes', DescribeSnapshots: 'ec2-describe-snapshots' } as const;
type SampleAction = keyof typeof SAMPLES;

// Paths of the 2013-era samples our fixture has no reason to carry: no EC2-Classic reservation
// groups (VPC instances report none), no paravirtual kernel, no Windows platform.
const NOT_IN_FIXTURE = new Set(['Reservations[].Groups[]', 'Reservations[].Groups[].GroupId', 'Reservations[].Groups[].GroupName', 'Reservations[].Instances[].KernelId', 'Reservations[].Instances[].Platform']);

/** field path → leaf type, e.g. 'Reservations[].Instances[].LaunchTime' → 'date'. */
function shapePaths(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    for (const v of value) shapePaths(v, `${prefix}[]`, out);
  } else if (value instanceof Date) out.set(prefix, 'date');
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k !== '$metadata' && k !== 'ResponseMetadata' && v !== undefined) shapePaths(v, prefix ? `${prefix}.${k}` : k, out);
    }
  } else out.set(prefix, typeof value);
  return out;
}

/** Non-empty scalar leaves of a parsed response. */
function parsedLeaves(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + parsedLeaves(v), 0);
  if (value instanceof Date) return 1;
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).reduce((n, [k, v]) => n + (k === '$metadata' || k === 'ResponseMetadata' ? 0 : parsedLeaves(v)), 0);
  }
  return value === '' || value === undefined ? 0 : 1;
}

/** Non-empty text leaves of an XML document, request id excluded. */
function xmlLeaves(xml: string): number {
  return [...xml.matchAll(/<([A-Za-z][\w]*)>([^<]+)<\/\1>/g)].filter((m) => !/^request[Ii][dD]$/.test(m[1]!)).length;
}

function toJsonShape(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v: unknown) => (k === '$metadata' ? undefined : v)));
}

let fake: AwsFake;
let replay: http.Server;
let replayEndpoint: string;

beforeAll(async () => {
  if (!haveData) return;
  fake = await startAwsFake({ snapshotCompletionMs: 0 });
  // Serves the real sample XML for whatever action is asked: a stand-in for AWS itself.
  replay = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const action = new URLSearchParams(body).get('Action') as SampleAction;
      res.writeHead(200, { 'Content-Type': 'text/xml;charset=UTF-8' });
      res.end(fs.readFileSync(`${XML_DIR}${SAMPLES[action]}.xml`));
    });
  });
  await new Promise<void>((r) => replay.listen(0, '127.0.0.1', r));
  replayEndpoint = `http://127.0.0.1:${(replay.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (!haveData) return;
  await fake.close();
  replay.closeAllConnections();
  await new Promise((r) => replay.close(r));
});

const commands: Record<SampleAction, () => DescribeInstancesCommand | DescribeVolumesCommand | DescribeSnapshotsCommand> = {
  DescribeInstances: () => new DescribeInstancesCommand({}),
  DescribeVolumes: () => new DescribeVolumesCommand({}),
  DescribeSnapshots: () => new DescribeSnapshotsCommand({}),
};

function replayClient(): EC2Client {
  return new EC2Client({ region: 'us-east-1', endpoint: replayEndpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

describe.skipIf(!haveData)('aws fake: EC2 XML shapes against real responses', () => {
  it.each(Object.keys(SAMPLES) as SampleAction[])('%s: the SDK parses the real sample exactly as botocore does (the oracle is sound)', async (action) => {
    const parsed = await replayClient().send(commands[action]() as DescribeInstancesCommand);
    const expected = JSON.parse(fs.readFileSync(`${XML_DIR}${SAMPLES[action]}.json`, 'utf8')) as Record<string, unknown>;
    delete expected.ResponseMetadata;
    expect(toJsonShape(parsed)).toEqual(expected);
    expect(parsedLeaves(parsed)).toBe(xmlLeaves(fs.readFileSync(`${XML_DIR}${SAMPLES[action]}.xml`, 'utf8')));
  });

  it.each(Object.keys(SAMPLES) as SampleAction[])('%s: the fake has every field path of the real sample, with the same types', async (action) => {
    const real = shapePaths(await replayClient().send(commands[action]() as DescribeInstancesCommand));
    const ours = shapePaths(await fakeEc2(fake).send(commands[action]() as DescribeInstancesCommand));
    const missing = [...real].filter(([p]) => !ours.has(p) && !NOT_IN_FIXTURE.has(p)).map(([p]) => p);
    expect(missing).toEqual([]);
    const mistyped = [...real].filter(([p, t]) => ours.has(p) && ours.get(p) !== t).map(([p, t]) => `${p}: ${t} vs ${ours.get(p)}`);
    expect(mistyped).toEqual([]);
  });

  it('no element of the fake is dropped by the SDK parser, across the EC2 actions', async () => {
    const ec2 = fakeEc2(fake);
    const snaps = await ec2.send(new CreateSnapshotsCommand({ InstanceSpecification: { InstanceId: FIXTURE.webInstanceId }, TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'k', Value: 'v' }] }] }));
    const root = snaps.Snapshots!.find((s) => s.VolumeId === FIXTURE.webRootVolumeId)!.SnapshotId!;
    const outputs: unknown[] = [
      snaps,
      await ec2.send(new DescribeInstancesCommand({})),
      await ec2.send(new DescribeVolumesCommand({})),
      await ec2.send(new DescribeSnapshotsCommand({})),
      await ec2.send(new DescribeSecurityGroupsCommand({})),
      await ec2.send(new DescribeNetworkInterfacesCommand({})),
      await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: FIXTURE.webInstanceId, Attribute: 'userData' })),
      await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: FIXTURE.webInstanceId, Attribute: 'blockDeviceMapping' })),
      await ec2.send(new GetConsoleOutputCommand({ InstanceId: FIXTURE.webInstanceId })),
      await ec2.send(new LockSnapshotCommand({ SnapshotId: root, LockMode: 'compliance', CoolOffPeriod: 2, LockDuration: 3 })),
      await ec2.send(new DescribeLockedSnapshotsCommand({})),
      await ec2.send(new CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: root, TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'k', Value: 'v' }] }] })),
      await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'iso', Description: 'isolation', TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'k', Value: 'v' }] }] })),
    ];
    const calls = fake.calls.slice(-outputs.length);
    for (const [i, out] of outputs.entries()) {
      // EC2 sends <return>true</return> in CreateSecurityGroup (see the API reference example) though no model has it.
      const xml = calls[i]!.action === 'CreateSecurityGroup' ? calls[i]!.responseBody!.replace('<return>true</return>', '') : calls[i]!.responseBody!;
      expect({ action: calls[i]!.action, leaves: parsedLeaves(out) }).toEqual({ action: calls[i]!.action, leaves: xmlLeaves(xml) });
    }
  });

  it.skipIf(!haveCli).each(['describe-instances', 'describe-volumes', 'describe-snapshots'])('ec2 %s: the AWS CLI finds every real field path in the fake too', async (command) => {
    // Asynchronous on purpose: both servers live in this process and must keep answering.
    const run = async (endpoint: string) =>
      JSON.parse(
        (
          await execFileAsync('/usr/bin/aws', ['ec2', command, '--endpoint-url', endpoint, '--no-cli-pager', '--output', 'json'], {
            env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true' },
            encoding: 'utf8',
            timeout: 60_000,
          })
        ).stdout,
      ) as unknown;
    const real = shapePaths(await run(replayEndpoint));
    const oursParsed = await run(fake.endpoint);
    const ours = shapePaths(oursParsed);
    // No leaf count here: Debian's CLI model (2023) predates members such as completionTime.
    expect([...real.keys()].filter((p) => !ours.has(p) && !NOT_IN_FIXTURE.has(p))).toEqual([]);
  });
});

describe.skipIf(!haveData)('aws fake: EBS direct JSON against the documented samples', () => {
  it('ListSnapshotBlocks has the documented members and types (VolumeSize in GiB, as the API reference says)', async () => {
    const sample = JSON.parse(fs.readFileSync(`${DATA}ebs-direct-api-samples/list-snapshot-blocks.response.json`, 'utf8')) as unknown;
    const tmp = path.join(os.tmpdir(), `caseward-shape-${process.pid}.raw`);
    fs.writeFileSync(tmp, Buffer.alloc(3 * 524288, 7));
    try {
      const snap = fake.addSnapshotFromImage(tmp);
      const ebs = fakeEbs(fake);
      const parsed = await ebs.send(new ListSnapshotBlocksCommand({ SnapshotId: snap.snapshotId }));
      ebs.destroy();
      const ours = JSON.parse(fake.calls.at(-1)!.responseBody!) as { VolumeSize: number };
      expect(shapePaths(ours)).toEqual(shapePaths(sample));
      // The documentation's sample gives VolumeSize in bytes (a known doc quirk); the API says GiB.
      expect(ours.VolumeSize).toBe(1);
      expect(parsed.ExpiryTime).toBeInstanceOf(Date);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  });
});
