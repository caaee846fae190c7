/**
 * The examiner's AWS profiles, read from the standard config and credentials files the way the AWS
 * CLI and SDKs read them. Only names and non-secret settings leave this module: key ids, secrets
 * and session tokens are read past and never kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AwsProfileInfo, AwsProfileKind, AwsProfiles } from '../../../../shared/contract-aws.js';

/** The pseudo-profile for credentials from the environment / default provider chain. */
export const ENVIRONMENT_PROFILE = 'environment';

type Section = Record<string, string>;

function expandHome(p: string): string {
  return p.startsWith('~') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** Paths the SDK uses: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/. */
export function awsFilePaths(env: NodeJS.ProcessEnv = process.env): { configFile: string; credentialsFile: string } {
  return {
    configFile: expandHome(env.AWS_CONFIG_FILE || path.join(os.homedir(), '.aws', 'config')),
    credentialsFile: expandHome(env.AWS_SHARED_CREDENTIALS_FILE || path.join(os.homedir(), '.aws', 'credentials')),
  };
}

/** Parses an AWS INI file into sections; comments (# and ;) and nested sub-settings are skipped. */
export function parseIni(text: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let current: Section | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      const name = header[1]!.trim();
      current = sections.get(name) ?? {};
      sections.set(name, current);
      continue;
    }
    // Indented lines continue a nested setting (e.g. s3 = …); they never name a credential source.
    if (!current || /^\s/.test(raw)) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim().toLowerCase();
    current[key] = line.slice(eq + 1).replace(/\s[#;].*$/, '').trim();
  }
  return sections;
}

function readIni(file: string): Map<string, Section> {
  try {
    return parseIni(fs.readFileSync(file, 'utf8'));
  } catch {
    return new Map();
  }
}

/** How a profile's settings obtain credentials, in the SDK's order of precedence. */
export function profileKind(s: Section): AwsProfileKind {
  if (s.role_arn && s.web_identity_token_file) return 'web-identity';
  if (s.role_arn) return 'assume-role';
  if (s.sso_session || s.sso_start_url) return 'sso';
  if (s.aws_access_key_id) return 'static';
  if (s.credential_process) return 'credential-process';
  return 'other';
}

function describe(name: string, s: Section, source: AwsProfileInfo['source']): AwsProfileInfo {
  const info: AwsProfileInfo = { name, kind: profileKind(s), source };
  // Only settings that are not secrets are copied, one by one.
  if (s.region) info.region = s.region;
  if (s.role_arn) info.roleArn = s.role_arn;
  if (s.source_profile) info.sourceProfile = s.source_profile;
  if (s.credential_source) info.credentialSource = s.credential_source;
  if (s.sso_session) info.ssoSession = s.sso_session;
  if (s.sso_start_url) info.ssoStartUrl = s.sso_start_url;
  if (s.sso_account_id) info.ssoAccountId = s.sso_account_id;
  if (s.sso_role_name) info.ssoRoleName = s.sso_role_name;
  if (s.mfa_serial) info.mfa = true;
  return info;
}

/** Lists the profiles of the config and credentials files, plus the environment entry. */
export function listProfiles(env: NodeJS.ProcessEnv = process.env): AwsProfiles {
  const { configFile, credentialsFile } = awsFilePaths(env);
  const config = new Map<string, Section>();
  for (const [header, s] of readIni(configFile)) {
    // In the config file profiles are "[profile x]" except "[default]"; other sections are sso-session, services, …
    const m = /^profile\s+(.+)$/.exec(header);
    if (m) config.set(m[1]!.trim(), { ...config.get(m[1]!.trim()), ...s });
    else if (header === 'default') config.set('default', { ...s, ...config.get('default') });
  }
  const creds = readIni(credentialsFile);
  const names = [...new Set([...config.keys(), ...creds.keys()])].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
  const profiles: AwsProfileInfo[] = names.map((name) => {
    const c = config.get(name);
    const k = creds.get(name);
    // The SDK takes the credentials file's settings over the config file's for the same profile.
    const merged = { ...c, ...k };
    return describe(name, merged, c && k ? 'both' : k ? 'credentials' : 'config');
  });
  const envInfo: AwsProfileInfo = { name: ENVIRONMENT_PROFILE, kind: env.AWS_ACCESS_KEY_ID ? 'env' : 'other', source: 'environment' };
  if (env.AWS_REGION || env.AWS_DEFAULT_REGION) envInfo.region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  profiles.push(envInfo);
  return { configFile, credentialsFile, profiles };
}
