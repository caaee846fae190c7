/**
 * Debian's AWS CLI (/usr/bin/aws: botocore's own serializer, signer and parsers) as an independent
 * client of the AWS fake: where it is, the bare environment it runs in, and a runner that never rejects.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { TEST_CREDENTIALS } from '../aws-fake/index.js';

/** Where the Debian package awscli installs the CLI. */
export const AWS_CLI = '/usr/bin/aws';

/** Whether the CLI is installed; tests that need it skip with a printed reason when not. */
export const haveAwsCli = fs.existsSync(AWS_CLI);

/** What one CLI run printed, and its exit code. */
export interface AwsCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI's whole environment: the fake's test keys only, no profile files, no instance role, one attempt; `extra` overrides. */
export function awsCliEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    ...extra,
  };
}

/** Runs `aws ARGS` against the fake at `endpoint` (JSON output, no pager) with HOME at `home`. */
export function runAwsCli(endpoint: string, home: string, args: string[], extraEnv: Record<string, string> = {}): Promise<AwsCliResult> {
  const argv = [...args, '--endpoint-url', endpoint, '--no-cli-pager', '--output', 'json'];
  return new Promise((resolve) => {
    execFile(AWS_CLI, argv, { env: awsCliEnv(home, extraEnv), timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Runs `aws ARGS` and parses its JSON output; throws with the CLI's stderr when it failed. */
export async function awsCliJson<T>(endpoint: string, home: string, args: string[]): Promise<T> {
  const r = await runAwsCli(endpoint, home, args);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
