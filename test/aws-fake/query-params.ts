/**
 * Reading EC2/Query-protocol parameters. Both the SDK and botocore flatten lists as `Name.N`
 * (1-based) and structures as `Name.Member`, e.g. `Filter.1.Value.2` or `TagSpecification.1.Tag.1.Key`.
 */
import { AwsError } from './errors.js';

/** Flat form parameters as sent on the wire (decoded). */
export type Params = Record<string, string>;

/** Parses an application/x-www-form-urlencoded body ('+' is a space, as in every form body). */
export function parseForm(body: string): Params {
  const out: Params = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

/** The values of a flattened list `prefix.1`, `prefix.2`, … in index order (gaps end the list). */
export function listParam(params: Params, prefix: string): string[] {
  const out: string[] = [];
  for (let i = 1; params[`${prefix}.${i}`] !== undefined; i += 1) out.push(params[`${prefix}.${i}`]!);
  return out;
}

/** Indexes present for a flattened list of structures (`prefix.N.*`), sorted. */
export function structIndexes(params: Params, prefix: string): number[] {
  const seen = new Set<number>();
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)\\.`);
  for (const key of Object.keys(params)) {
    const m = re.exec(key);
    if (m) seen.add(Number(m[1]));
  }
  return [...seen].sort((a, b) => a - b);
}

/** Boolean parameter: 'true'/'false' (case-insensitive); anything else is the real InvalidParameterValue. */
export function boolParam(params: Params, name: string): boolean | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  throw AwsError.ec2('InvalidParameterValue', `Value (${raw}) for parameter ${name} is invalid. Expected: 'true' or 'false'.`);
}

/** Integer parameter, or undefined. */
export function intParam(params: Params, name: string): number | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw AwsError.ec2('InvalidParameterValue', `Value (${raw}) for parameter ${name} is invalid.`);
  return Number(raw);
}

/** A required parameter; missing → the real MissingParameter error. */
export function required(params: Params, name: string): string {
  const v = params[name];
  if (v === undefined || v === '') {
    throw AwsError.ec2('MissingParameter', `The request must contain the parameter ${name}`);
  }
  return v;
}

/** One EC2 filter: `Filter.N.Name` with its `Filter.N.Value.M` values. */
export interface Filter {
  name: string;
  values: string[];
}

/** All `Filter.N` entries. */
export function filters(params: Params): Filter[] {
  return structIndexes(params, 'Filter').map((i) => ({
    name: params[`Filter.${i}.Name`] ?? '',
    values: listParam(params, `Filter.${i}.Value`),
  }));
}

/** Tags `prefix.N.Key` / `prefix.N.Value` (a missing Value is an empty string, as in AWS). */
export function tagsParam(params: Params, prefix: string): { key: string; value: string }[] {
  return structIndexes(params, prefix).map((i) => ({
    key: params[`${prefix}.${i}.Key`] ?? '',
    value: params[`${prefix}.${i}.Value`] ?? '',
  }));
}

/** Tags from `TagSpecification.N` whose ResourceType is `resourceType`. */
export function tagSpecifications(params: Params, resourceType: string): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const i of structIndexes(params, 'TagSpecification')) {
    const type = params[`TagSpecification.${i}.ResourceType`];
    if (type !== undefined && type !== resourceType) {
      throw AwsError.ec2('InvalidParameterValue', `'${type}' is not a valid taggable resource type for this operation.`);
    }
    out.push(...tagsParam(params, `TagSpecification.${i}.Tag`));
  }
  return out;
}

/** EC2 filter values accept `*` and `?` wildcards. */
export function globMatch(pattern: string, value: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(value);
}

/** True when any filter value matches any of the resource's values for that filter. */
export function anyMatch(patterns: string[], values: (string | undefined)[]): boolean {
  return values.some((v) => v !== undefined && patterns.some((p) => globMatch(p, v)));
}
