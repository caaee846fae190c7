/** The CLI's aws-context command against the fake: parts captured, artifacts listed, chain intact. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, startAwsFake, type AwsFake } from '../aws-fake/index.js';
import { tempDir, removeTree } from '../support/app-harness.js';
import { writeAwsProfiles } from '../support/aws-case.js';
import { ensureCliBundle, runCli } from '../support/cli-bundle.js';

let fake: AwsFake;
let root: string;

beforeAll(async () => {
  fake = await startAwsFake({ region: 'us-east-1' });
  root = tempDir('caseward-aws-context-cli-');
  writeAwsProfiles(root);
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
