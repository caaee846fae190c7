/**
 * A mutating EC2 call as preservation makes it: the same command with DryRun first, so a denial is
 * reported (naming the missing permission) before anything changes, then the real call.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { awsErrorCode, mapAwsError, missingPermission } from '../connect/aws-errors.js';

/** The outcome of a DryRun: allowed, or denied with the permission AWS named. */
export type DryRunOutcome = { allowed: true } | { allowed: false; missingPermission: string; message: string; requestId: string | null };

/** An EC2 command that takes DryRun, built fresh for each send (typed loosely: each command is its own class). */
export type Ec2Command = (dryRun: boolean) => object;
type AnyCommand = Parameters<EC2Client['send']>[0];

/** Sends the command with DryRun; throws (mapped) for anything other than allowed/denied. */
export async function dryRun(ec2: EC2Client, api: string, make: Ec2Command, endpoint: string | null): Promise<DryRunOutcome> {
  try {
    await ec2.send(make(true) as AnyCommand);
  } catch (err) {
    const code = awsErrorCode(err);
    if (code === 'DryRunOperation') return { allowed: true };
    const e = err as { message?: string; $metadata?: { requestId?: string } };
    if (code === 'UnauthorizedOperation' || code === 'AccessDenied') {
      return { allowed: false, missingPermission: missingPermission(e.message ?? '') ?? api, message: e.message ?? '', requestId: e.$metadata?.requestId ?? null };
    }
    throw mapAwsError(err, `${api} (DryRun)`, { endpoint });
  }
  // A DryRun that went through means the flag was ignored: stop rather than assume.
  throw mapAwsError(new Error(`AWS answered a DryRun ${api} without DryRunOperation`), api, { endpoint });
}

/** Sends the real command and returns AWS's answer with its request id. */
export async function send<T>(ec2: EC2Client, api: string, make: Ec2Command, endpoint: string | null): Promise<{ out: T; requestId: string | null }> {
  try {
    const out = (await ec2.send(make(false) as AnyCommand)) as T & { $metadata?: { requestId?: string } };
    return { out, requestId: out.$metadata?.requestId ?? null };
  } catch (err) {
    throw mapAwsError(err, api, { endpoint });
  }
}
