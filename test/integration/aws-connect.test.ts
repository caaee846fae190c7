/**
 * aws.profiles / aws.connect / aws.disconnect against the protocol-level fake, through the real
 * SDK credential providers reading temporary AWS config and credentials files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsFake, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, VICTIM_ACCOUNT_ID, type AwsFake } from '../aws-fake/index.js';
import { startHarness, type Harness } from '../support/app-harness.js';
import { writeAwsProfiles } from '../support/aws-case.js';

const CONFIG = `[default]
region = eu-west-1

[profile victim]
region = us-east-1

[profile ir]
role_arn = arn:aws:iam::${VICTIM_ACCOUNT_ID}:role/IncidentResponse
source_profile = victim
role_session_name = caseward-test

[profile sso-example]
sso_session = corp
sso_account_id = ${VICTIM_ACCOUNT_ID}
sso_role_name = Responder

[sso-session corp]
sso_start_url = https://corp.awsapps.example/start
sso_region = us-east-1

[profile proc]
credential_process = /bin/false
`;

const WRONG_SECRET = 'caseward+fake/WRONG+secret/for+tests+99999';
const CREDENTIALS = `[victim]
aws_access_key_id = ${TEST_ACCESS_KEY_ID}
aws_secret_access_key = ${TEST_SECRET_ACCESS_KEY}

[wrong]
aws_access_key_id = ${TEST_ACCESS_KEY_ID}
aws_secret_access_key = ${WRONG_SECRET}
`;

let fake: AwsFake;
let h: Harness;
let caseId: string;
const envelopes: string[] = [];

async function invoke(channel: string, input: unknown) {
  const env = await h.app.invoke(channel, input);
  envelopes.push(JSON.stringify(env));
  return env;
}

beforeAll(async () => {
  fake = await startAwsFake();
  h = await startHarness();
  writeAwsProfiles(h.root, { config: CONFIG, credentials: CREDENTIALS });
  caseId = (await h.call('cases.create', { number: 'AWS-1', title: 'AWS connect' })).id;
});

afterAll(async () => {
  await h?.dispose();
  await fake?.close();
});

describe('aws.profiles', () => {
  it('lists names and kinds from AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, never secrets', async () => {
    const env = await invoke('aws.profiles', {});
    expect(env.ok).toBe(true);
    const { profiles, configFile } = (env as { value: { profiles: { name: string; kind: string; source: string; roleArn?: string }[]; configFile: string } }).value;
    expect(configFile).toBe(process.env.AWS_CONFIG_FILE);
    const kinds = Object.fromEntries(profiles.map((p) => [p.name, p.kind]));
    expect(kinds).toEqual({ default: 'other', victim: 'static', wrong: 'static', ir: 'assume-role', 'sso-example': 'sso', proc: 'credential-process', environment: 'other' });
    expect(profiles.find((p) => p.name === 'victim')!.source).toBe('both');
    expect(profiles.find((p) => p.name === 'ir')!.roleArn).toContain('role/IncidentResponse');
    expect(envelopes.at(-1)).not.toContain(TEST_SECRET_ACCESS_KEY);
    expect(envelopes.at(-1)).not.toContain(TEST_ACCESS_KEY_ID);
  });
});

describe('aws.connect', () => {
  it('connects with a static profile and records who Caseward acts as, with the STS request id', async () => {
    const env = await invoke('aws.connect', { caseId, profile: 'victim', regions: ['us-east-1'], endpoint: fake.endpoint });
    expect(env.ok, JSON.stringify(env)).toBe(true);
    const conn = (env as { value: { connectionId: string; account: string; arn: string; userId: string; regions: string[] } }).value;
    expect(conn).toMatchObject({ account: VICTIM_ACCOUNT_ID, arn: `arn:aws:iam::${VICTIM_ACCOUNT_ID}:user/examiner`, userId: 'AIDACASEWARDEXAMINER', regions: ['us-east-1'] });
    const sts = fake.state.callsFor('GetCallerIdentity').at(-1)!;
    expect(sts.status).toBe(200);
    expect(sts.accessKeyId).toBe(TEST_ACCESS_KEY_ID);
    const { events } = await h.call('custody.list', { caseId });
    const connected = events.filter((e) => e.action === 'aws.connected').at(-1)!;
    expect(connected.details).toMatchObject({
      connectionId: conn.connectionId,
      account: VICTIM_ACCOUNT_ID,
      arn: conn.arn,
      userId: conn.userId,
      profile: 'victim',
      regions: ['us-east-1'],
      endpoint: fake.endpoint,
      stsRequestId: sts.requestId,
    });
    const list = await h.call('aws.connections', { caseId });
    expect(list.map((c) => c.connectionId)).toContain(conn.connectionId);
  });

  it('connects through an assume-role profile (source_profile) via the same endpoint', async () => {
    const before = fake.state.callsFor('AssumeRole').length;
    const conn = await h.call('aws.connect', { caseId, profile: 'ir', regions: ['us-east-1', 'eu-west-1'], endpoint: fake.endpoint });
    expect(conn.arn).toBe(`arn:aws:sts::${VICTIM_ACCOUNT_ID}:assumed-role/IncidentResponse/caseward-test`);
    expect(conn.regions).toEqual(['us-east-1', 'eu-west-1']);
    const assume = fake.state.callsFor('AssumeRole').slice(before);
    expect(assume).toHaveLength(1);
    expect(assume[0]!.accessKeyId).toBe(TEST_ACCESS_KEY_ID);
    // The assumed role's own temporary keys signed GetCallerIdentity.
    expect(fake.state.callsFor('GetCallerIdentity').at(-1)!.accessKeyId).toMatch(/^ASIA/);
  });

  it('connects with environment credentials (the default provider chain)', async () => {
    process.env.AWS_ACCESS_KEY_ID = TEST_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = TEST_SECRET_ACCESS_KEY;
    try {
      const profiles = await h.call('aws.profiles', {});
      expect(profiles.profiles.find((p) => p.name === 'environment')).toMatchObject({ kind: 'env', source: 'environment' });
      const conn = await invoke('aws.connect', { caseId, profile: 'environment', regions: ['us-east-1'], endpoint: fake.endpoint });
      expect(conn.ok && (conn.value as { arn: string }).arn).toBe(`arn:aws:iam::${VICTIM_ACCOUNT_ID}:user/examiner`);
      const ev = (await h.call('custody.list', { caseId })).events.filter((e) => e.action === 'aws.connected').at(-1)!;
      expect(ev.details.profile).toBe('environment');
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  it('explains a wrong secret, an unknown profile, an unreachable endpoint and bad input', async () => {
    const wrong = await h.fail('aws.connect', { caseId, profile: 'wrong', regions: ['us-east-1'], endpoint: fake.endpoint });
    expect(wrong.code).toBe('AWS_CREDENTIALS');
    expect(wrong.message).toMatch(/profile wrong were refused \(SignatureDoesNotMatch\)/);
    envelopes.push(JSON.stringify(wrong));

    const missing = await h.fail('aws.connect', { caseId, profile: 'nobody', regions: ['us-east-1'], endpoint: fake.endpoint });
    expect(missing.code).toBe('AWS_CREDENTIALS');
    expect(missing.message).toContain('no AWS profile named "nobody"');

    const proc = await h.fail('aws.connect', { caseId, profile: 'proc', regions: ['us-east-1'], endpoint: fake.endpoint });
    expect(proc.code).toBe('AWS_CREDENTIALS');

    const closed = await h.fail('aws.connect', { caseId, profile: 'victim', regions: ['us-east-1'], endpoint: 'http://127.0.0.1:9' });
    expect(closed.code).toBe('AWS_UNREACHABLE');
    expect(closed.message).toContain('http://127.0.0.1:9');

    const plainHttp = await h.fail('aws.connect', { caseId, profile: 'victim', regions: ['us-east-1'], endpoint: 'http://ec2.example.com' });
    expect(plainHttp.code).toBe('INVALID_INPUT');
    const region = await h.fail('aws.connect', { caseId, profile: 'victim', regions: ['moon-base-1x'] });
    expect(region.code).toBe('INVALID_INPUT');
    const none = await h.fail('aws.connect', { caseId, profile: 'victim', regions: [] });
    expect(none.code).toBe('INVALID_INPUT');
  }, 60_000);

  it('drops connections on disconnect and when the case closes', async () => {
    const a = await h.call('aws.connect', { caseId, profile: 'victim', regions: ['us-east-1'], endpoint: fake.endpoint });
    await h.call('aws.disconnect', { caseId, connectionId: a.connectionId });
    const gone = await h.fail('aws.discover', { caseId, connectionId: a.connectionId, kinds: ['instances'] });
    expect(gone.code).toBe('NOT_FOUND');

    const b = await h.call('aws.connect', { caseId, profile: 'victim', regions: ['us-east-1'], endpoint: fake.endpoint });
    const folder = (await h.call('cases.get', { caseId })).path;
    await h.call('cases.close', { caseId });
    await h.call('cases.open', { path: folder });
    expect(await h.call('aws.connections', { caseId })).toEqual([]);
    expect((await h.fail('aws.discover', { caseId, connectionId: b.connectionId, kinds: ['instances'] })).code).toBe('NOT_FOUND');
  });

  it('never writes a secret into envelopes, custody, the case database or the log file', async () => {
    // The assumed role's temporary secret and token, as the fake handed them out.
    const body = fake.state.callsFor('AssumeRole').at(-1)!.responseBody ?? '';
    const sessionSecret = /<SecretAccessKey>([^<]+)</.exec(body)![1]!;
    const sessionToken = /<SessionToken>([^<]+)</.exec(body)![1]!;
    const secrets = [TEST_SECRET_ACCESS_KEY, WRONG_SECRET, sessionSecret, sessionToken];

    const custody = JSON.stringify(await h.call('custody.list', { caseId, limit: 1000 }));
    const exported = await h.call('reports.exportCustody', { caseId, format: 'json' });
    const folder = (await h.call('cases.get', { caseId })).path;
    await h.call('cases.close', { caseId });
    const logDir = path.join(h.userData, 'logs');
    const logs = fs.readdirSync(logDir).map((f) => fs.readFileSync(path.join(logDir, f), 'latin1')).join('\n');
    expect(logs).toContain('aws.connect');
    const caseFiles = fs
      .readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'latin1'))
      .join('\n');
    expect(caseFiles).toContain('aws.connected');
    expect(exported.size).toBeGreaterThan(0);
    for (const secret of secrets) {
      for (const [where, text] of Object.entries({ envelopes: envelopes.join('\n'), custody, logs, caseFiles })) {
        expect(text.includes(secret), `${where} contains a secret`).toBe(false);
      }
    }
    await h.call('cases.open', { path: folder });
  });
});
