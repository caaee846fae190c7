/**
 * Credential providers for a connection: a named profile through fromIni (static keys, SSO,
 * assume-role with source_profile, credential_process, web identity) or the default Node chain.
 * Resolved credentials stay inside this closure; nothing here logs or returns them.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AppError } from '../../../../shared/errors.js';
import { ENVIRONMENT_PROFILE } from './profiles.js';

/** Refresh temporary credentials this long before they expire. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** What a provider needs besides the profile name. */
export interface ProviderOptions {
  region: string;
  endpoint?: string | null;
}

/** A provider shared by every client of a connection: one AssumeRole/SSO exchange, refreshed near expiry. */
function memoize(inner: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | null = null;
  return async () => {
    if (current) {
      const creds = await current.catch(() => null);
      if (creds && (!creds.expiration || creds.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS)) return creds;
    }
    current = inner();
    try {
      return await current;
    } catch (err) {
      current = null;
      throw err;
    }
  };
}

/** The credential provider for `profile` ('environment' = the SDK's default chain). */
export function credentialProvider(profile: string, opts: ProviderOptions): AwsCredentialIdentityProvider {
  if (profile === ENVIRONMENT_PROFILE) return memoize(fromNodeProviderChain({ ignoreCache: true }));
  return memoize(
    fromIni({
      profile,
      // The files may change while Caseward runs (a fresh SSO login, rotated keys).
      ignoreCache: true,
      // AssumeRole goes through the same endpoint override as every other call of the connection.
      roleAssumer: async (source, params) => {
        const sts = new STSClient({ region: opts.region, credentials: source, ...(opts.endpoint ? { endpoint: opts.endpoint } : {}), maxAttempts: 3 });
        try {
          const r = await sts.send(new AssumeRoleCommand(params));
          const c = r.Credentials;
          if (!c?.AccessKeyId || !c.SecretAccessKey) throw new AppError('AWS_CREDENTIALS', `AssumeRole of ${params.RoleArn} returned no credentials`);
          return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
        } finally {
          sts.destroy();
        }
      },
      mfaCodeProvider: async (serial) => {
        throw new AppError('AWS_CREDENTIALS', `Profile ${profile} needs an MFA code (${serial}); Caseward cannot prompt for it. Use an SSO profile, or a profile whose source session already carries MFA.`);
      },
    }),
  );
}
