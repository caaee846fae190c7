/**
 * The EC2 Query API (Version 2016-11-15): form-encoded POSTs, XML answers. Every action honours
 * DryRun the way EC2 does — a permitted DryRun is the error DryRunOperation (HTTP 412), a denied
 * one UnauthorizedOperation (403) — and the permission map in `state.policy`.
 */
import { randomBytes } from 'node:crypto';
import { notAuthorizedText, type RequestContext, type ServiceHandler } from './context.js';
import { AwsError, ec2ErrorResponse, xmlResponse, type WireResponse } from './errors.js';
import {
  describeInstanceAttribute,
  describeInstances,
  describeNetworkInterfaces,
  describeSecurityGroups,
  describeSnapshotAttribute,
  describeSnapshots,
  describeVolumes,
  getConsoleOutput,
  getConsoleScreenshot,
} from './ec2-describe.js';
import { createSnapshot, createSnapshots, createTags, modifyInstanceAttribute } from './ec2-mutate.js';
import { createSecurityGroup, modifyNetworkInterfaceAttribute, revokeSecurityGroupEgress } from './ec2-network.js';
import { copySnapshot, describeLockedSnapshots, lockSnapshot, modifySnapshotAttribute } from './ec2-snapshots.js';
import { boolParam } from './query-params.js';
import { el, XML_DECLARATION } from './xml.js';

/** The EC2 XML namespace of API version 2016-11-15. */
export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';

type Ec2Action = (ctx: RequestContext) => string;

const ACTIONS: Record<string, Ec2Action> = {
  DescribeInstances: describeInstances,
  DescribeVolumes: describeVolumes,
  DescribeSnapshots: describeSnapshots,
  DescribeSecurityGroups: describeSecurityGroups,
  DescribeNetworkInterfaces: describeNetworkInterfaces,
  DescribeInstanceAttribute: describeInstanceAttribute,
  DescribeSnapshotAttribute: describeSnapshotAttribute,
  DescribeLockedSnapshots: describeLockedSnapshots,
  GetConsoleOutput: getConsoleOutput,
  GetConsoleScreenshot: getConsoleScreenshot,
  CreateSnapshots: createSnapshots,
  CreateSnapshot: createSnapshot,
  CreateTags: createTags,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  ModifyNetworkInterfaceAttribute: modifyNetworkInterfaceAttribute,
  CreateSecurityGroup: createSecurityGroup,
  RevokeSecurityGroupEgress: revokeSecurityGroupEgress,
  ModifySnapshotAttribute: modifySnapshotAttribute,
  CopySnapshot: copySnapshot,
  LockSnapshot: lockSnapshot,
};

/** Actions the fake implements (DescribeX, CreateX, …). */
export const EC2_ACTIONS: readonly string[] = Object.keys(ACTIONS);

/** The ARN a denied request names as its resource. */
function resourceArn(ctx: RequestContext): string {
  const p = ctx.params;
  const account = ctx.identity.accountId;
  const instance = p.InstanceId ?? p['InstanceSpecification.InstanceId'];
  if (instance) return `arn:aws:ec2:${ctx.region}:${account}:instance/${instance}`;
  if (p.VolumeId) return `arn:aws:ec2:${ctx.region}:${account}:volume/${p.VolumeId}`;
  const snapshot = p.SnapshotId ?? p.SourceSnapshotId;
  if (snapshot) return `arn:aws:ec2:${ctx.region}::snapshot/${snapshot}`;
  if (p.NetworkInterfaceId) return `arn:aws:ec2:${ctx.region}:${account}:network-interface/${p.NetworkInterfaceId}`;
  if (p.GroupId) return `arn:aws:ec2:${ctx.region}:${account}:security-group/${p.GroupId}`;
  return '*';
}

function unauthorized(ctx: RequestContext): AwsError {
  // The encoded message is opaque in AWS too (decodable only with sts:DecodeAuthorizationMessage).
  const encoded = randomBytes(48).toString('base64');
  return AwsError.ec2(
    'UnauthorizedOperation',
    `You are not authorized to perform this operation. ${notAuthorizedText(ctx, resourceArn(ctx))}. Encoded authorization failure message: ${encoded}`,
    403,
  );
}

async function handle(ctx: RequestContext): Promise<WireResponse> {
  const action = ACTIONS[ctx.action];
  if (!action) throw AwsError.ec2('InvalidAction', `The action ${ctx.action} is not valid for this web service.`);
  ctx.dryRun = boolParam(ctx.params, 'DryRun') ?? false;
  const allowed = ctx.state.policy.isAllowed(`ec2:${ctx.action}`);
  if (!allowed) throw unauthorized(ctx);
  if (ctx.dryRun) throw AwsError.ec2('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
  const inner = action(ctx);
  const xml = `${XML_DECLARATION}<${ctx.action}Response xmlns="${EC2_NAMESPACE}">${el('requestId', ctx.requestId)}${inner}</${ctx.action}Response>`;
  return xmlResponse(200, xml, ctx.requestId);
}

const AUTH_FAILURE = 'AWS was not able to validate the provided access credentials';

/** The EC2 service. */
export const ec2Service: ServiceHandler = {
  identify: (raw) => ({ action: raw.params.Action ?? '' }),
  handle,
  renderError: ec2ErrorResponse,
  errors: {
    missing: AwsError.ec2('AuthFailure', AUTH_FAILURE, 401),
    unknownKey: AwsError.ec2('AuthFailure', AUTH_FAILURE, 401),
    badSignature: () => AwsError.ec2('AuthFailure', AUTH_FAILURE, 401),
    expired: () => AwsError.ec2('RequestExpired', 'Request has expired.', 400),
    throttle: AwsError.ec2('RequestLimitExceeded', 'Request limit exceeded.', 503),
    serverError: (status) =>
      status === 503
        ? AwsError.ec2('Unavailable', "The server is overloaded and can't handle the request.", 503)
        : AwsError.ec2('InternalError', 'An internal error has occurred', status),
    accessDenied: (ctx) => unauthorized(ctx),
  },
};
