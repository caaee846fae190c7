/**
 * STS (GetCallerIdentity, AssumeRole) and the read-only IAM calls that describe an instance
 * profile's role and policies. Both speak the awsQuery protocol: form POST in, XML out, wrapped in
 * `<XResponse><XResult>…</XResult><ResponseMetadata>…`. IAM returns policy documents URL-encoded.
 */
import { randomBytes } from 'node:crypto';
import { notAuthorizedText, type RequestContext, type ServiceHandler } from './context.js';
import { AwsError, queryErrorResponse, xmlResponse, type WireResponse } from './errors.js';
import type { Role } from './model.js';
import { el, escapeXml, fields, memberList, wrap, XML_DECLARATION } from './xml.js';

/** STS XML namespace. */
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
/** IAM XML namespace. */
export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

type QueryAction = (ctx: RequestContext) => string;

function param(ctx: RequestContext, name: string): string {
  const v = ctx.params[name];
  if (!v) throw AwsError.query('ValidationError', `1 validation error detected: Value null at '${name[0]!.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return v;
}

function noSuchEntity(message: string): AwsError {
  return AwsError.query('NoSuchEntity', message, 404);
}

function envelope(ctx: RequestContext, namespace: string, inner: string): WireResponse {
  const a = ctx.action;
  const xml = `${XML_DECLARATION}<${a}Response xmlns="${namespace}">${wrap(`${a}Result`, inner)}${wrap('ResponseMetadata', el('RequestId', ctx.requestId))}</${a}Response>`;
  return xmlResponse(200, xml, ctx.requestId);
}

const STS_ACTIONS: Record<string, QueryAction> = {
  GetCallerIdentity: (ctx) => fields({ Arn: ctx.identity.arn, UserId: ctx.identity.userId, Account: ctx.identity.accountId }),
  AssumeRole: (ctx) => {
    const roleArn = param(ctx, 'RoleArn');
    const session = param(ctx, 'RoleSessionName');
    const role = [...ctx.state.roles.values()].find((r) => r.arn === roleArn);
    if (!role) throw AwsError.query('AccessDenied', notAuthorizedText(ctx, roleArn), 403);
    const account = roleArn.split(':')[4]!;
    const expiration = new Date(ctx.state.now() + Number(ctx.params.DurationSeconds ?? 3600) * 1000);
    const identity = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(48).toString('base64'),
      accountId: account,
      arn: `arn:aws:sts::${account}:assumed-role/${role.roleName}/${session}`,
      userId: `${role.roleId}:${session}`,
    };
    ctx.state.addIdentity(identity);
    return (
      wrap('Credentials', fields({ AccessKeyId: identity.accessKeyId, SecretAccessKey: identity.secretAccessKey, SessionToken: identity.sessionToken, Expiration: expiration })) +
      wrap('AssumedRoleUser', fields({ AssumedRoleId: identity.userId, Arn: identity.arn }))
    );
  },
};

/** A role of the caller's account, or NoSuchEntity. */
function role(ctx: RequestContext, name: string): Role {
  const r = ctx.state.roles.get(name);
  if (!r || r.arn.split(':')[4] !== ctx.identity.accountId) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}

function roleXml(r: Role): string {
  return fields({
    Path: r.path,
    RoleName: r.roleName,
    RoleId: r.roleId,
    Arn: r.arn,
    CreateDate: r.createDate,
    AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(r.assumeRolePolicy)),
    MaxSessionDuration: 3600,
  });
}

const IAM_ACTIONS: Record<string, QueryAction> = {
  GetInstanceProfile: (ctx) => {
    const name = param(ctx, 'InstanceProfileName');
    const p = ctx.state.instanceProfiles.get(name);
    if (!p || p.arn.split(':')[4] !== ctx.identity.accountId) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
    const roles = p.roleNames.map((n) => ctx.state.roles.get(n)).filter((r): r is Role => Boolean(r));
    return wrap(
      'InstanceProfile',
      fields({ Path: p.path, InstanceProfileName: p.name, InstanceProfileId: p.id, Arn: p.arn, CreateDate: p.createDate }) + memberList('Roles', roles, roleXml),
    );
  },
  ListAttachedRolePolicies: (ctx) => {
    const r = role(ctx, param(ctx, 'RoleName'));
    const policies = r.attachedPolicyArns.map((arn) => ({ arn, name: arn.split('/').pop()! }));
    return memberList('AttachedPolicies', policies, (p) => fields({ PolicyName: p.name, PolicyArn: p.arn })) + el('IsTruncated', false);
  },
  ListRolePolicies: (ctx) => {
    const r = role(ctx, param(ctx, 'RoleName'));
    return memberList('PolicyNames', Object.keys(r.inlinePolicies), escapeXml) + el('IsTruncated', false);
  },
  GetRolePolicy: (ctx) => {
    const r = role(ctx, param(ctx, 'RoleName'));
    const name = param(ctx, 'PolicyName');
    const doc = r.inlinePolicies[name];
    if (!doc) throw noSuchEntity(`The role policy with name ${name} cannot be found.`);
    return fields({ RoleName: r.roleName, PolicyName: name, PolicyDocument: encodeURIComponent(JSON.stringify(doc)) });
  },
  GetPolicy: (ctx) => {
    const arn = param(ctx, 'PolicyArn');
    const p = ctx.state.managedPolicies.get(arn);
    if (!p) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
    return wrap(
      'Policy',
      fields({
        PolicyName: p.name,
        PolicyId: p.id,
        Arn: p.arn,
        Path: p.path,
        DefaultVersionId: p.defaultVersionId,
        AttachmentCount: p.attachmentCount,
        IsAttachable: true,
        CreateDate: p.createDate,
        UpdateDate: p.updateDate,
      }),
    );
  },
  GetPolicyVersion: (ctx) => {
    const arn = param(ctx, 'PolicyArn');
    const versionId = param(ctx, 'VersionId');
    const v = ctx.state.managedPolicies.get(arn)?.versions[versionId];
    if (!v) throw noSuchEntity(`Policy ${arn} version ${versionId} does not exist or is not attachable.`);
    const isDefault = ctx.state.managedPolicies.get(arn)!.defaultVersionId === versionId;
    return wrap(
      'PolicyVersion',
      fields({ Document: encodeURIComponent(JSON.stringify(v.document)), VersionId: versionId, IsDefaultVersion: isDefault, CreateDate: v.createDate }),
    );
  },
};

function queryService(service: 'sts' | 'iam', namespace: string, actions: Record<string, QueryAction>): ServiceHandler {
  const handler: ServiceHandler = {
    identify: (raw) => ({ action: raw.params.Action ?? '' }),
    handle: async (ctx) => {
      const action = actions[ctx.action];
      if (!action) throw AwsError.query('InvalidAction', `Could not find operation ${ctx.action} for version ${ctx.params.Version ?? ''}`);
      if (!ctx.state.policy.isAllowed(`${service}:${ctx.action}`)) throw handler.errors.accessDenied(ctx);
      return envelope(ctx, namespace, action(ctx));
    },
    renderError: (err, requestId) => queryErrorResponse(err, requestId, namespace),
    errors: {
      missing: AwsError.query('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
      unknownKey: AwsError.query('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
      badSignature: (message) => AwsError.query('SignatureDoesNotMatch', message, 403),
      expired: (message) => AwsError.query('SignatureDoesNotMatch', message, 403),
      throttle: AwsError.query('Throttling', 'Rate exceeded', 400),
      serverError: (status) =>
        status === 503 ? AwsError.query('ServiceUnavailable', 'Service Unavailable', 503) : AwsError.query('InternalFailure', 'An internal error occurred.', status),
      accessDenied: (ctx) => {
        const target = ctx.params.RoleName ? `role ${ctx.params.RoleName}` : (ctx.params.PolicyArn ?? ctx.params.InstanceProfileName ?? '*');
        return AwsError.query('AccessDenied', notAuthorizedText(ctx, target), 403);
      },
    },
  };
  return handler;
}

/** The STS service. */
export const stsService = queryService('sts', STS_NAMESPACE, STS_ACTIONS);
/** The IAM service (global; any signing region is accepted). */
export const iamService = queryService('iam', IAM_NAMESPACE, IAM_ACTIONS);
