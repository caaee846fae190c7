/** The rule files: each validates against the schema, the index lists exactly the folder, and bad rules are refused. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInRules, parseRule, parseRules, TECHNIQUE_ID } from '../../main/core/logs/highlights/index.js';
import { RULE_FILES } from '../../main/core/logs/highlights/rules/index.js';

const DIR = path.resolve('main/core/logs/highlights/rules');
const onDisk = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

const good = {
  id: 'x-rule', title: 'X', description: 'An X happened.', severity: 'high',
  mitre: [{ tactic: 'defense-evasion', techniqueId: 'T1562.008', techniqueName: 'Impair Defenses' }],
  match: { eventName: ['StopLogging'] },
};

describe('highlight rule files', () => {
  it('rules/index.ts imports every JSON file in the folder, and nothing else', () => {
    expect(RULE_FILES.map((f) => f.source).sort()).toEqual(onDisk);
    expect(onDisk.length).toBeGreaterThanOrEqual(40);
  });

  it('each file on disk validates, and its id is its file name', () => {
    for (const f of onDisk) {
      const rule = parseRule(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')), f);
      expect(`${rule.id}.json`).toBe(f);
    }
    expect(builtInRules()).toHaveLength(onDisk.length);
  });

  it('every rule maps to ATT&CK ids in the Txxxx or Txxxx.yyy form and cites them', () => {
    for (const r of builtInRules()) {
      expect(r.mitre.length, r.id).toBeGreaterThan(0);
      for (const m of r.mitre) {
        expect(m.techniqueId, r.id).toMatch(/^T\d{4}(\.\d{3})?$/);
        expect(r.references, r.id).toContain(`https://attack.mitre.org/techniques/${m.techniqueId.replace('.', '/')}/`);
      }
      expect(r.description.trim().endsWith('.'), r.id).toBe(true);
      expect(r.match.eventName ?? r.match.eventSource ?? r.match.conditions, `${r.id} matches everything`).toBeDefined();
    }
  });

  it('the rules the issue asks for are there', () => {
    const ids = new Set(builtInRules().map((r) => r.id));
    for (const id of ['cloudtrail-stop-logging', 'cloudtrail-delete-trail', 'cloudtrail-update-trail', 'cloudtrail-event-selectors-changed',
      'guardduty-delete-detector', 'guardduty-disable-detector', 'guardduty-archive-filter', 'securityhub-disabled',
      'iam-create-access-key', 'iam-create-user', 'iam-login-profile-changed', 'iam-attach-admin-policy', 'iam-inline-wildcard-policy',
      'iam-role-trust-other-account', 'console-login-without-mfa', 'console-login-failed', 'ebs-snapshot-shared', 'ami-shared',
      'rds-snapshot-shared', 'security-group-open-to-world', 'secrets-bulk-read', 'ssm-parameters-bulk-decrypt', 'ssm-send-command',
      'ssm-start-session', 'ec2-get-password-data', 'ec2-user-data-read', 'instance-credentials-outside-aws', 's3-bucket-policy-public',
      's3-bucket-acl-public', 'kms-schedule-key-deletion', 'kms-disable-key', 'lambda-update-code', 'lambda-public-permission',
      'organizations-leave', 'vpc-flow-logs-deleted', 'cloudwatch-log-group-deleted', 'discovery-burst']) {
      expect(ids.has(id), id).toBe(true);
    }
  });

  it('refuses a rule with a malformed technique id, a bad op, a missing value or a bad regex', () => {
    expect(TECHNIQUE_ID.test('T1562.08')).toBe(false);
    const bad = [
      { ...good, mitre: [{ ...good.mitre[0], techniqueId: 'T1562.8' }] },
      { ...good, mitre: [] },
      { ...good, severity: 'urgent' },
      { ...good, match: { conditions: [{ path: 'a', op: 'like', value: 'x' }] } },
      { ...good, match: { conditions: [{ path: 'a', op: 'equals' }] } },
      { ...good, match: { conditions: [{ path: 'a', op: 'in', value: 'x' }] } },
      { ...good, match: { conditions: [{ path: 'a', op: 'matches', value: '(' }] } },
      { ...good, aggregate: { windowSeconds: 300, minCount: 1, groupBy: 'userIdentity.arn' } },
      { ...good, unknownField: true },
      { ...good, id: 'Not Kebab' },
    ];
    for (const b of bad) expect(() => parseRule(b, 'bad.json'), JSON.stringify(b)).toThrow(/bad\.json is not valid/);
    expect(parseRule(good, 'good.json').references).toEqual([]);
  });

  it('refuses two rules with the same id', () => {
    expect(() => parseRules([{ source: 'a.json', value: good }, { source: 'b.json', value: good }])).toThrow(/x-rule appears twice/);
  });
});
