/**
 * Connecting a case to AWS: resolve the profile's credentials, ask STS who they are, keep the
 * connection in memory and record in custody who Caseward acts as (never the credentials).
 */
import { randomUUID } from 'node:crypto';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsConnection } from '../../../../shared/contract-aws.js';
import { AppError } from '../../../../shared/errors.js';
import { appendEvent, nowUtc } from '../../custody/custody.repo.js';
import type { Workstation } from '../../workstation/workstation.js';
import { mapAwsError } from './aws-errors.js';
import { addConnection, stsClient } from './connections.js';
import { credentialProvider } from './credentials.js';
import { ENVIRONMENT_PROFILE, listProfiles } from './profiles.js';

/** What the examiner chose. */
export interface ConnectRequest {
  caseId: string;
  profile: string;
  regions: string[];
  endpoint?: string;
}

/** Connects, records 'aws.connected' in the case's custody, and returns the connection. */
export async function connect(ws: Workstation, req: ConnectRequest): Promise<AwsConnection> {
  const actor = ws.actor();
  const { session } = ws.get(req.caseId);
  const regions = [...new Set(req.regions)];
  const endpoint = req.endpoint ?? null;
  const files = req.profile === ENVIRONMENT_PROFILE ? null : listProfiles();
  if (files && !files.profiles.some((p) => p.name === req.profile)) {
    throw new AppError('AWS_CREDENTIALS', `There is no AWS profile named "${req.profile}" in ${files.configFile} or ${files.credentialsFile}`);
  }
  const credentials = credentialProvider(req.profile, { region: regions[0]!, endpoint });
  const what = req.profile === ENVIRONMENT_PROFILE ? 'the environment credentials' : `profile ${req.profile}`;

  let resolvedSecrets: string[] = [];
  const sts = stsClient({ credentials, info: { endpoint } }, regions[0]!);
  let identity;
  try {
    const creds = await credentials();
    resolvedSecrets = [creds.secretAccessKey, creds.sessionToken ?? ''];
    identity = await sts.send(new GetCallerIdentityCommand({}));
  } catch (err) {
    throw mapAwsError(err, `STS GetCallerIdentity with ${what}`, { endpoint, secrets: resolvedSecrets });
  } finally {
    sts.destroy();
  }
  if (!identity.Account || !identity.Arn || !identity.UserId) throw new AppError('INTERNAL', 'STS GetCallerIdentity answered without account, ARN or user id');

  const info: AwsConnection = {
    connectionId: randomUUID(),
    profile: req.profile,
    account: identity.Account,
    arn: identity.Arn,
    userId: identity.UserId,
    regions,
    endpoint,
    connectedAt: nowUtc(),
  };
  appendEvent(session.db, actor, {
    action: 'aws.connected',
    details: {
      connectionId: info.connectionId,
      account: info.account,
      arn: info.arn,
      userId: info.userId,
      profile: info.profile,
      regions,
      endpoint,
      stsRequestId: identity.$metadata.requestId ?? null,
    },
  });
  addConnection(ws, { caseId: req.caseId, info, credentials });
  ws.emit({ kind: 'case.changed', caseId: req.caseId, what: 'custody' });
  return info;
}
