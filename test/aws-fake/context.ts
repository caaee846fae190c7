/** What every service handler receives for one request, and the handler contract. */
import type { FakeIdentity } from './credentials.js';
import type { AwsError, WireResponse } from './errors.js';
import type { FaultController } from './faults.js';
import type { FakeState } from './state.js';

/** One authenticated request. */
export interface RequestContext {
  requestId: string;
  service: string;
  region: string;
  identity: FakeIdentity;
  method: string;
  /** Decoded path segments after the leading '/'. */
  pathSegments: string[];
  /** Decoded query parameters (REST) or form parameters (Query protocols). */
  params: Record<string, string>;
  /** Request headers by lower-case name (S3 metadata, X-Amz-Target of JSON protocols). */
  headers: Record<string, string>;
  /** The request body as received (JSON protocols read their input from it). */
  body: Buffer;
  action: string;
  state: FakeState;
  faults: FaultController;
  /** Set by the EC2 dispatcher so the call log says whether this was a DryRun. */
  dryRun: boolean;
}

/** The part of a request known before it is authenticated. */
export interface RawRequest {
  method: string;
  pathSegments: string[];
  /** Query string values (REST) merged with form body values (Query protocols). */
  params: Record<string, string>;
  /** Request headers by lower-case name. */
  headers: Record<string, string>;
  body: Buffer;
}

/** A service the fake speaks. */
export interface ServiceHandler {
  /** Names the action (and snapshot/block for EBS) before anything runs: faults and the call log use it. */
  identify(raw: RawRequest): { action: string; snapshotId?: string; blockIndex?: number };
  /** Serves the request; throws AwsError for AWS errors. */
  handle(ctx: RequestContext): Promise<WireResponse>;
  /** Renders an error in this service's wire shape. */
  renderError(err: AwsError, requestId: string): WireResponse;
  /** The errors for authentication failures and for injected faults, as this service names them. */
  errors: {
    missing: AwsError;
    unknownKey: AwsError;
    badSignature: (message: string) => AwsError;
    expired: (message: string) => AwsError;
    throttle: AwsError;
    serverError: (status: number) => AwsError;
    accessDenied: (ctx: RequestContext, resource?: string) => AwsError;
  };
}

/** "User: arn is not authorized to perform: svc:Action on resource: r because no identity-based policy allows …" */
export function notAuthorizedText(ctx: RequestContext, resource: string): string {
  const action = `${ctx.service}:${ctx.action}`;
  return `User: ${ctx.identity.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
}
