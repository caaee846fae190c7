/**
 * The built-in highlight rules against the 35 Stratus Red Team detonation captures: every
 * technique the table claims is flagged by exactly the rules it names (at least one event each),
 * and every capture file is in the table, covered or with a reason why not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCloudTrailFile, type CloudTrailRecord } from '../../main/core/logs/cloudtrail/index.js';
import { builtInRules, evaluate, type HighlightHit } from '../../main/core/logs/highlights/index.js';

const STRATUS = path.resolve('../shared/testdata/stratus-red-team-detonation-logs');
const haveStratus = fs.existsSync(STRATUS);
if (!haveStratus) console.warn(`Skipping the Stratus highlight coverage tests: ${STRATUS} is absent (../shared/testdata not mounted).`);

type Coverage = string[] | `not covered: ${string}`;

/** Stratus technique id (the capture's file name) → the rules that must flag it. */
const coverage: Record<string, Coverage> = {
  'aws.credential-access.ec2-get-password-data': ['ec2-get-password-data'],
  'aws.credential-access.ec2-steal-instance-credentials': ['instance-credentials-outside-aws', 'ssm-send-command'],
  'aws.credential-access.secretsmanager-batch-retrieve-secrets': ['secrets-bulk-read'],
  'aws.credential-access.secretsmanager-retrieve-secrets': ['secrets-bulk-read'],
  'aws.credential-access.ssm-retrieve-securestring-parameters': ['ssm-parameters-bulk-decrypt'],
  'aws.defense-evasion.cloudtrail-delete': ['cloudtrail-delete-trail'],
  'aws.defense-evasion.cloudtrail-event-selectors': ['cloudtrail-event-selectors-changed'],
  'aws.defense-evasion.cloudtrail-stop': ['cloudtrail-stop-logging'],
  'aws.defense-evasion.dns-delete-logs': ['dns-query-logging-deleted'],
  'aws.defense-evasion.organizations-leave': ['organizations-leave'],
  'aws.defense-evasion.vpc-remove-flow-logs': ['vpc-flow-logs-deleted'],
  'aws.discovery.ec2-download-user-data': ['ec2-user-data-read'],
  'aws.execution.ec2-launch-unusual-instances': ['ec2-unusual-instance-type'],
  'aws.execution.ec2-user-data': ['ec2-user-data-modified'],
  'aws.execution.ssm-send-command': ['ssm-send-command'],
  'aws.execution.ssm-start-session': ['ssm-start-session'],
  'aws.exfiltration.ec2-security-group-open-port-22-ingress': ['security-group-open-to-world'],
  'aws.exfiltration.ec2-share-ami': ['ami-shared'],
  'aws.exfiltration.ec2-share-ebs-snapshot': ['ebs-snapshot-shared'],
  'aws.exfiltration.rds-share-snapshot': ['rds-snapshot-shared'],
  'aws.impact.bedrock-invoke-model': ['bedrock-model-access-enabled'],
  'aws.initial-access.console-login-without-mfa': ['console-login-without-mfa'],
  'aws.lateral-movement.ec2-instance-connect': ['ec2-instance-connect-key'],
  'aws.lateral-movement.ec2-serial-console-send-ssh-public-key': ['ec2-serial-console-enabled', 'ec2-instance-connect-key'],
  'aws.persistence.iam-backdoor-role': ['iam-role-trust-other-account'],
  'aws.persistence.iam-backdoor-user': ['iam-create-access-key'],
  'aws.persistence.iam-create-admin-user': ['iam-create-user', 'iam-attach-admin-policy', 'iam-create-access-key'],
  'aws.persistence.iam-create-backdoor-role': ['iam-attach-admin-policy', 'iam-role-trust-other-account'],
  'aws.persistence.iam-create-user-login-profile': ['iam-login-profile-changed'],
  'aws.persistence.lambda-backdoor-function': ['lambda-public-permission'],
  'aws.persistence.lambda-layer-extension': ['lambda-layer-added'],
  'aws.persistence.lambda-overwrite-code': ['lambda-update-code'],
  'aws.persistence.rolesanywhere-create-trust-anchor': ['rolesanywhere-trust-anchor'],
  'aws.persistence.sts-federation-token': ['sts-federation-token'],
  'aws.privilege-escalation.iam-update-user-login-profile': ['iam-login-profile-changed'],
};

const files = haveStratus ? fs.readdirSync(STRATUS).filter((f) => f.endsWith('.json')).sort() : [];

async function hitsFor(file: string): Promise<{ records: CloudTrailRecord[]; hits: HighlightHit[] }> {
  const records: CloudTrailRecord[] = [];
  for await (const item of readCloudTrailFile(path.join(STRATUS, file))) records.push(item.record);
  return { records, hits: evaluate(records, builtInRules()) };
}

describe.skipIf(!haveStratus)('highlights on the Stratus Red Team captures', () => {
  it('the coverage table names every capture file, and only those', () => {
    expect(files).toHaveLength(35);
    expect(Object.keys(coverage).sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')));
  });

  it('every rule named in the table exists; every "not covered" entry gives a reason', () => {
    const ids = new Set(builtInRules().map((r) => r.id));
    for (const [technique, c] of Object.entries(coverage)) {
      if (typeof c === 'string') expect(c.replace('not covered:', '').trim().length, technique).toBeGreaterThan(10);
      else for (const id of c) expect(ids.has(id), `${technique} names unknown rule ${id}`).toBe(true);
    }
  });

  it.each(Object.entries(coverage).filter(([, c]) => Array.isArray(c)))('%s is flagged by its rules', async (technique, c) => {
    const { records, hits } = await hitsFor(`${technique}.json`);
    const fired = new Set(hits.map((h) => h.ruleId));
    for (const id of c as string[]) expect(fired.has(id), `${technique}: rule ${id} did not fire`).toBe(true);
    const ids = new Set(records.map((r) => r.eventId ?? r.dedupeKey));
    for (const h of hits) {
      // A hit points at an event of this capture, carries its mapping, and says something.
      expect(ids.has(h.eventId)).toBe(true);
      expect(h.mitre.length).toBeGreaterThan(0);
      expect(h.summary).not.toMatch(/\?$|undefined|\[object/);
    }
  });

  it('the hits carry the event time of the record they point at', async () => {
    const { records, hits } = await hitsFor('aws.defense-evasion.cloudtrail-stop.json');
    expect(hits).toHaveLength(1);
    const rec = records.find((r) => r.eventId === hits[0]!.eventId)!;
    expect(hits[0]).toMatchObject({ ruleId: 'cloudtrail-stop-logging', eventTime: rec.eventTime, severity: 'critical' });
    expect(hits[0]!.mitre[0]!.techniqueId).toBe('T1562.008');
    expect(hits[0]!.summary).toContain('stratus-red-team-ct-stop-trail');
  });
});
