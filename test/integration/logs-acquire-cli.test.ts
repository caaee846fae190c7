/** The CLI's logs-acquire-s3 and logs-validate-acquired against the fake: a signed trail acquired, then validated offline. */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VICTIM_ACCOUNT_ID, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { buildTrail, type Trail } from '../fixtures/cloudtrail/build-trail.js';
import { removeTree, tempDir } from '../support/app-harness.js';
import { writeAwsProfiles } from '../support/aws-case.js';
import { ensureCliBundle, runCli } from '../support/cli-bundle.js';

let fake: AwsFake;
let root: string;
let trail: Trail;

beforeAll(async () => {
  fake = await startAwsFake({ region: 'us-east-1' });
  root = tempDir('caseward-logs-acquire-cli-');
  writeAwsProfiles(root);
  trail = await buildTrail({ dir: path.join(root, 'trail'), privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, hours: 2, account: VICTIM_ACCOUNT_ID, bucket: 'cli-trail' });
  for (const l of trail.logs) fake.logs.putObject('cli-trail', l.s3Key, fs.readFileSync(l.path));
  for (const d of trail.digests) fake.logs.putObject('cli-trail', d.s3Key, fs.readFileSync(d.path), { metadata: { signature: d.signatureHex!, 'signature-algorithm': 'SHA256withRSA' } });
  const k = trail.publicKeys[0]!;
  fake.logs.addPublicKey(Buffer.from(k.value, 'base64'), new Date(String(k.validityStart)), new Date(String(k.validityEnd)));
});

afterAll(async () => {
  await fake?.close();
  if (root) removeTree(root);
});

describe('caseward logs-acquire-s3 / logs-validate-acquired', () => {
  it('acquires a trail and validates it offline', async () => {
    ensureCliBundle();
    const ws = { userData: path.join(root, 'cli-user'), casesDir: path.join(root, 'cli-cases') };
    await runCli(ws, ['profile', '--name', 'Cli Examiner', '--org', 'Test IR']);
    const folder = path.join(root, 'cli-case');
    await runCli(ws, ['create', '--number', 'CLI-LOGS', '--title', 'CLI logs', '--path', folder]);
    const out = await runCli(ws, [
      'logs-acquire-s3', folder, '--profile', 'victim', '--region', 'us-east-1', '--endpoint', fake.endpoint, '--bucket', 'cli-trail',
      '--account', VICTIM_ACCOUNT_ID, '--trail-region', 'us-east-1', '--from', trail.range.start, '--to', trail.range.end,
    ]);
    expect(out).toMatch(/listed 6, acquired 6, skipped 0, corrupt 0, failed 0; public keys /);
    const report = await runCli(ws, ['logs-validate-acquired', folder, '--from', trail.range.start, '--to', trail.range.end]);
    expect(report).toMatch(/^OK: digests 2 valid, 0 invalid, 0 missing; logs 4 valid/);
    expect(await runCli(ws, ['verify-chain', folder])).not.toContain('BROKEN');
  });
});
