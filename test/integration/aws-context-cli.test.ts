/** The CLI's aws-context command against the fake: parts captured, artifacts listed, chain intact. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, startAwsFake, TEST_ACCESS_KEY_ID, TEST_SECRET_ACCESS_KEY, type AwsFake } from '../aws-fake/index.js';
import { tempDir, removeTree } from '../support/app-harness.js';
import { ensureCliBundle, runCli } from '../support/cli-bundle.js';

let fake: AwsFake;
let root: string;

beforeAll(async () => {
  fake = await startAwsFake({ region: 'us-east-1' });
  root = tempDir('caseward-aws-context-cli-');
  const awsDir = path.join(root, 'aws');
  fs.mkdirSync(awsDir);
  fs.writeFileSync(path.join(awsDir, 'config'), '[profile victim]\nregion = us-east-1\n');
  fs.writeFileSync(path.join(awsDir, 'credentials'), `[victim]\naws_access_key_id = ${TEST_ACCESS_KEY_ID}\naws_secret_access_key = ${TEST_SECRET_ACCESS_KEY}\n`);
  process.env.AWS_CONFIG_FILE = path.join(awsDir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(awsDir, 'credentials');
  for (const k of ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete process.env[k];
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});

afterAll(async () => {
  await fake?.close();
  if (root) removeTree(root);
});

describe('caseward aws-context', () => {
  it('captures the chosen parts as artifacts', async () => {
    ensureCliBundle();
    const ws = { userData: path.join(root, 'cli-user'), casesDir: path.join(root, 'cli-cases') };
    await runCli(ws, ['profile', '--name', 'Cli Examiner', '--org', 'Test IR']);
    const folder = path.join(root, 'cli-case');
    await runCli(ws, ['create', '--number', 'CLI-CTX', '--title', 'CLI context', '--path', folder]);
    const out = JSON.parse(
      await runCli(ws, ['aws-context', folder, '--profile', 'victim', '--region', 'us-east-1', '--endpoint', fake.endpoint, '--instance', FIXTURE.webInstanceId, '--parts', 'screenshot,console-output', '--json']),
    ) as { part: string; status: string; artifactId: string }[];
    expect(out.map((r) => [r.part, r.status])).toEqual([
      ['console-output', 'captured'],
      ['screenshot', 'captured'],
    ]);
    const artifacts = await runCli(ws, ['artifacts', folder]);
    expect(artifacts).toContain(`${FIXTURE.webInstanceId}-console-output.txt`);
    expect(artifacts).toContain(`${FIXTURE.webInstanceId}-screenshot.jpg`);
    expect(await runCli(ws, ['verify-chain', folder])).not.toContain('BROKEN');
  });
});
