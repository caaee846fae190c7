/**
 * Highlights: a built-in rule set (rules/*.json, one rule each) that flags high-signal CloudTrail
 * events with the MITRE ATT&CK techniques they map to. Format and coverage: docs/highlights.md.
 */
export { HighlightEvaluator, evaluate, evaluateStream, type HighlightHit } from './engine.js';
export { builtInRules } from './load-rules.js';
export { isPublicNonAwsIp, valuesAt } from './match.js';
export {
  parseRule, parseRules, ruleSchema, TECHNIQUE_ID,
  type HighlightRule, type LeafCondition, type MitreMapping, type RuleCondition, type Severity,
} from './rule-schema.js';
