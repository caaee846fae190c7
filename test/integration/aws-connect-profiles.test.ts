/** Reading profile names and kinds from real AWS config/credentials files, the way the AWS CLI does. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listProfiles, parseIni, profileKind } from '../../main/core/aws/connect/profiles.js';
import { removeTree, tempDir } from '../support/app-harness.js';

const dir = tempDir('caseward-aws-profiles-');
afterAll(() => removeTree(dir));

describe('AWS profiles', () => {
  it('parses sections, comments, inline comments and nested settings', () => {
    const ini = parseIni('# top\n[profile a]\nregion = us-east-2 ; inline\ns3 =\n  max_concurrent_requests = 20\n; comment\n[profile b]\nrole_arn=arn:aws:iam::1:role/x\n');
    expect(ini.get('profile a')).toEqual({ region: 'us-east-2', s3: '' });
    expect(ini.get('profile b')).toEqual({ role_arn: 'arn:aws:iam::1:role/x' });
  });

  it('classifies kinds in the SDK order of precedence', () => {
    expect(profileKind({ role_arn: 'r', web_identity_token_file: '/t' })).toBe('web-identity');
    expect(profileKind({ role_arn: 'r', source_profile: 's', aws_access_key_id: 'k' })).toBe('assume-role');
    expect(profileKind({ sso_start_url: 'https://x' })).toBe('sso');
    expect(profileKind({ aws_access_key_id: 'k', credential_process: 'p' })).toBe('static');
    expect(profileKind({ credential_process: 'p' })).toBe('credential-process');
    expect(profileKind({ region: 'us-east-1' })).toBe('other');
  });

  it('merges both files, ignores non-profile config sections and keeps no secret', () => {
    const config = path.join(dir, 'config');
    const creds = path.join(dir, 'credentials');
    fs.writeFileSync(config, '[default]\nregion = eu-north-1\n[profile ops]\nregion = us-west-2\nmfa_serial = arn:aws:iam::1:mfa/x\n[sso-session corp]\nsso_start_url = https://x\n[services dev]\nec2 =\n  endpoint_url = https://e\n');
    fs.writeFileSync(creds, '[default]\naws_access_key_id = AKIAEXAMPLEKEY000001\naws_secret_access_key = very/secret+value\naws_session_token = tokentokentoken\n[ops]\naws_access_key_id = AKIAEXAMPLEKEY000002\naws_secret_access_key = other/secret\n');
    const r = listProfiles({ AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: creds, AWS_REGION: 'ap-south-1' });
    expect(r.profiles).toEqual([
      { name: 'default', kind: 'static', source: 'both', region: 'eu-north-1' },
      { name: 'ops', kind: 'static', source: 'both', region: 'us-west-2', mfa: true },
      { name: 'environment', kind: 'other', source: 'environment', region: 'ap-south-1' },
    ]);
    const text = JSON.stringify(r);
    for (const s of ['very/secret+value', 'other/secret', 'tokentokentoken', 'AKIAEXAMPLEKEY']) expect(text).not.toContain(s);
  });

  it('lists nothing but the environment entry when the files are missing', () => {
    const r = listProfiles({ AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none2'), AWS_ACCESS_KEY_ID: 'AKIA' });
    expect(r.profiles).toEqual([{ name: 'environment', kind: 'env', source: 'environment' }]);
  });
});
