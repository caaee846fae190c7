/**
 * SigV4 in the AWS fake. Requests signed by the SDK with wrong, unknown or incomplete credentials
 * fail with each service's real error; requests signed by Smithy's SignatureV4 (the SDK's signer,
 * used directly) and then altered fail too, while awkward-but-valid ones (dot segments, unsorted
 * query, base64 tokens with '+', '/' and '=') pass. The region and service come from the scope.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createHash, createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { DescribeVolumesCommand } from '@aws-sdk/client-ec2';
import { ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { FIXTURE, SESSION_CREDENTIALS, TEST_CREDENTIALS, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { fakeEbs, fakeEc2, fakeIam, fakeSts } from '../aws-fake/clients.js';
import { awsError } from '../aws-fake/test-helpers.js';

let fake: AwsFake;
beforeEach(async () => {
  fake = await startAwsFake();
});
afterEach(async () => {
  await fake.close();
});

function bytes(data: SourceData): string | Buffer {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);
}

/** A SHA-256/HMAC over node:crypto in the shape Smithy's signer expects. */
class NodeSha256 {
  private readonly h;
  constructor(secret?: SourceData) {
    this.h = secret ? createHmac('sha256', bytes(secret)) : createHash('sha256');
  }
  update(data: SourceData): void {
    this.h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

interface RawCall {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: string;
  service: string;
  region?: string;
  signingDate?: Date;
  /** Alters the signed request before it is sent (tampering, reordering). */
  alter?: (r: { path: string; headers: Record<string, string>; body: string; queryString: string }) => void;
  unsigned?: boolean;
}

/** Signs with Smithy's SignatureV4 and sends with node:http, so every byte on the wire is ours. */
async function raw(call: RawCall): Promise<{ status: number; body: string }> {
  const host = `127.0.0.1:${fake.port}`;
  const body = call.body ?? '';
  const request = {
    method: call.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: fake.port,
    path: call.path,
    query: call.query ?? {},
    headers: { host, ...(call.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } : {}) } as Record<string, string>,
    body,
  };
  const signer = new SignatureV4({ service: call.service, region: call.region ?? 'us-east-1', credentials: TEST_CREDENTIALS, sha256: NodeSha256 });
  const signed = call.unsigned ? request : await signer.sign(request, { signingDate: call.signingDate ?? new Date() });
  const wire = {
    path: call.path,
    headers: { ...(signed.headers as Record<string, string>) },
    body,
    queryString: Object.entries(call.query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
  };
  call.alter?.(wire);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: fake.port, method: call.method, path: wire.path + (wire.queryString ? `?${wire.queryString}` : ''), headers: wire.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(wire.body);
  });
}

const describeVolumesBody = 'Action=DescribeVolumes&Version=2016-11-15&VolumeId.1=vol-0a1b2c3d4e5f60011';

describe('aws fake: SigV4 with the SDK', () => {
  it('rejects a wrong secret with each service error: EC2 AuthFailure, STS/IAM SignatureDoesNotMatch, EBS InvalidSignatureException', async () => {
    const identity = { ...TEST_CREDENTIALS, secretAccessKey: 'not-the-secret' };
    expect(await awsError(fakeEc2(fake, { identity }).send(new DescribeVolumesCommand({})))).toMatchObject({ name: 'AuthFailure', status: 401 });
    expect(await awsError(fakeSts(fake, { identity }).send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    expect(await awsError(fakeIam(fake, { identity }).send(new ListRolePoliciesCommand({ RoleName: FIXTURE.roleName })))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
    const ebs = await awsError(fakeEbs(fake, { identity }).send(new ListSnapshotBlocksCommand({ SnapshotId: FIXTURE.completedSnapshotId })));
    expect(ebs).toMatchObject({ name: 'InvalidSignatureException', status: 403 });
    expect(fake.calls.map((c) => `${c.service}:${c.errorCode}`)).toEqual([
      'ec2:AuthFailure',
      'sts:SignatureDoesNotMatch',
      'iam:SignatureDoesNotMatch',
      'ebs:InvalidSignatureException',
    ]);
  });

  it('rejects an unknown access key', async () => {
    const identity = { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: TEST_CREDENTIALS.secretAccessKey };
    expect((await awsError(fakeEc2(fake, { identity }).send(new DescribeVolumesCommand({})))).name).toBe('AuthFailure');
    expect((await awsError(fakeSts(fake, { identity }).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
    const ebs = await awsError(fakeEbs(fake, { identity }).send(new ListSnapshotBlocksCommand({ SnapshotId: FIXTURE.completedSnapshotId })));
    expect(ebs).toMatchObject({ name: 'UnrecognizedClientException', status: 403 });
  });

  it('accepts temporary credentials only with their session token', async () => {
    const who = await fakeSts(fake, { identity: SESSION_CREDENTIALS }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(SESSION_CREDENTIALS.arn);
    const noToken = { ...SESSION_CREDENTIALS, sessionToken: undefined };
    expect((await awsError(fakeSts(fake, { identity: noToken }).send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
  });

  it('records the region and service of the credential scope', async () => {
    await fakeEc2(fake, { region: 'ap-southeast-2' }).send(new DescribeVolumesCommand({}));
    await fakeIam(fake).send(new ListRolePoliciesCommand({ RoleName: FIXTURE.roleName }));
    expect(fake.calls.map((c) => [c.service, c.region, c.action])).toEqual([
      ['ec2', 'ap-southeast-2', 'DescribeVolumes'],
      ['iam', 'us-east-1', 'ListRolePolicies'],
    ]);
  });
});

describe('aws fake: SigV4 on the wire', () => {
  it('accepts a valid signature, also with dot segments and the query sent in another order', async () => {
    const ok = await raw({ method: 'POST', path: '/', body: describeVolumesBody, service: 'ec2' });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<volumeId>vol-0a1b2c3d4e5f60011</volumeId>');
    const listed = await raw({
      method: 'GET',
      path: `/snapshots/./${FIXTURE.completedSnapshotId}/blocks`,
      query: { maxResults: '100', startingBlockIndex: '0' },
      service: 'ebs',
      alter: (w) => {
        w.queryString = 'startingBlockIndex=0&maxResults=100';
      },
    });
    expect(listed.status).toBe(200);
    expect(JSON.parse(listed.body)).toMatchObject({ Blocks: [], BlockSize: 524288 });
  });

  it('accepts block tokens with +, / and = in the signed query', async () => {
    const image = path.join(os.tmpdir(), `caseward-auth-${process.pid}.raw`);
    fs.writeFileSync(image, Buffer.alloc(64 * 524288, 0x33));
    const snap = fake.addSnapshotFromImage(image);
    const page = JSON.parse((await raw({ method: 'GET', path: `/snapshots/${snap.snapshotId}/blocks`, service: 'ebs' })).body) as { Blocks: { BlockIndex: number; BlockToken: string }[] };
    const block = page.Blocks.find((b) => /[+/]/.test(b.BlockToken))!;
    expect(block.BlockToken).toMatch(/=$/);
    const got = await raw({ method: 'GET', path: `/snapshots/${snap.snapshotId}/blocks/${block.BlockIndex}`, query: { blockToken: block.BlockToken }, service: 'ebs' });
    expect(got.status).toBe(200);
    fs.rmSync(image);
  });

  it('rejects a body or a signed header changed after signing', async () => {
    const body = await raw({ method: 'POST', path: '/', body: describeVolumesBody, service: 'ec2', alter: (w) => (w.body = w.body.replace('60011', '60012')) });
    expect(body.status).toBe(401);
    expect(body.body).toContain('<Code>AuthFailure</Code>');
    const header = await raw({
      method: 'POST',
      path: '/',
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      service: 'sts',
      // One second later: still a well-formed date, but not the one that was signed.
      alter: (w) => (w.headers['x-amz-date'] = w.headers['x-amz-date']!.replace(/(\d)Z$/, (_, d: string) => `${(Number(d) + 1) % 10}Z`)),
    });
    expect(header.status).toBe(403);
    expect(header.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('rejects a signature older than 15 minutes', async () => {
    const old = new Date(Date.now() - 20 * 60_000);
    const ec2 = await raw({ method: 'POST', path: '/', body: describeVolumesBody, service: 'ec2', signingDate: old });
    expect(ec2.status).toBe(400);
    expect(ec2.body).toContain('<Code>RequestExpired</Code>');
    const sts = await raw({ method: 'POST', path: '/', body: 'Action=GetCallerIdentity&Version=2011-06-15', service: 'sts', signingDate: old });
    expect(sts.body).toMatch(/<Code>SignatureDoesNotMatch<\/Code><Message>Signature expired: /);
  });

  it('rejects unsigned requests', async () => {
    const ec2 = await raw({ method: 'POST', path: '/', body: describeVolumesBody, service: 'ec2', unsigned: true });
    expect(ec2.status).toBe(401);
    const sts = await raw({ method: 'POST', path: '/', body: 'Action=GetCallerIdentity&Version=2011-06-15', service: 'sts', unsigned: true });
    expect(sts.body).toContain('<Code>MissingAuthenticationToken</Code>');
    const ebs = await raw({ method: 'GET', path: `/snapshots/${FIXTURE.completedSnapshotId}/blocks`, service: 'ebs', unsigned: true });
    expect(ebs.status).toBe(403);
    expect(JSON.parse(ebs.body).__type).toBe('MissingAuthenticationTokenException');
  });
});
