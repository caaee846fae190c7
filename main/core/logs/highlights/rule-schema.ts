import { z } from 'zod';
import { AppError } from '../../../../shared/errors.js';

/** ATT&CK technique ids look like T1562 or T1562.008. */
export const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

const mitreSchema = z.strictObject({
  tactic: z.string().min(1),
  techniqueId: z.string().regex(TECHNIQUE_ID, 'techniqueId must be Txxxx or Txxxx.yyy'),
  techniqueName: z.string().min(1),
});

const leafOps = ['equals', 'notEquals', 'in', 'contains', 'matches', 'notMatches', 'exists', 'notExists',
  'cidrOpenToWorld', 'notAwsIp', 'mentionsOtherAccount'] as const;

const leafSchema = z.strictObject({
  /** Dotted path into the raw record; arrays on the way are searched element by element. */
  path: z.string().min(1),
  op: z.enum(leafOps),
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
}).superRefine((c, ctx) => {
  const needsValue = c.op === 'equals' || c.op === 'notEquals' || c.op === 'in' || c.op === 'contains' || c.op === 'matches' || c.op === 'notMatches';
  if (needsValue && c.value === undefined) ctx.addIssue({ code: 'custom', message: `op ${c.op} needs a value` });
  if (c.op === 'in' && !Array.isArray(c.value)) ctx.addIssue({ code: 'custom', message: 'op in needs an array value' });
  if (c.op === 'matches' || c.op === 'notMatches') {
    try {
      new RegExp(String(c.value));
    } catch {
      ctx.addIssue({ code: 'custom', message: `bad regular expression ${String(c.value)}` });
    }
  }
});

const conditionSchema = z.union([leafSchema, z.strictObject({ anyOf: z.array(leafSchema).min(2) })]);

const aggregateSchema = z.strictObject({
  windowSeconds: z.number().int().positive(),
  minCount: z.number().int().min(2),
  groupBy: z.string().min(1),
  /** When set, count distinct values at this path (e.g. eventName) instead of events. */
  distinct: z.string().min(1).optional(),
});

/** The shape of one rule file in rules/*.json. */
export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id must be kebab-case'),
  title: z.string().min(1),
  description: z.string().min(1),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  mitre: z.array(mitreSchema).min(1),
  match: z.strictObject({
    eventSource: z.array(z.string().min(1)).min(1).optional(),
    /** Exact names, or a prefix ending in `*` (List*). */
    eventName: z.array(z.string().min(1)).min(1).optional(),
    /** Default 'any': attempts that failed are often as telling as those that worked. */
    errorCode: z.union([z.literal('none'), z.literal('any'), z.array(z.string().min(1)).min(1)]).optional(),
    conditions: z.array(conditionSchema).optional(),
  }),
  aggregate: aggregateSchema.optional(),
  /** Optional summary with {path} placeholders filled from the record. */
  summary: z.string().min(1).optional(),
  references: z.array(z.url()).default([]),
});

export type HighlightRule = z.infer<typeof ruleSchema>;
export type RuleCondition = z.infer<typeof conditionSchema>;
export type LeafCondition = z.infer<typeof leafSchema>;
export type Severity = HighlightRule['severity'];
export type MitreMapping = z.infer<typeof mitreSchema>;

/** Validates one rule; throws INVALID_INPUT naming the rule and the first problems. */
export function parseRule(value: unknown, source: string): HighlightRule {
  const r = ruleSchema.safeParse(value);
  if (!r.success) {
    const why = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(rule)'}: ${i.message}`).join('; ');
    throw new AppError('INVALID_INPUT', `Highlight rule ${source} is not valid: ${why}.`);
  }
  return r.data;
}

/** Validates a rule set: each rule valid, ids unique. */
export function parseRules(values: readonly { source: string; value: unknown }[]): HighlightRule[] {
  const seen = new Set<string>();
  return values.map(({ source, value }) => {
    const rule = parseRule(value, source);
    if (seen.has(rule.id)) throw new AppError('INVALID_INPUT', `Highlight rule id ${rule.id} appears twice (${source}).`);
    seen.add(rule.id);
    return rule;
  });
}
