import { RULE_FILES } from './rules/index.js';
import { parseRules, type HighlightRule } from './rule-schema.js';

let cached: HighlightRule[] | null = null;

/** The built-in rules, validated once; a broken rule file fails loudly rather than going quiet. */
export function builtInRules(): readonly HighlightRule[] {
  cached ??= parseRules(RULE_FILES);
  return cached;
}
