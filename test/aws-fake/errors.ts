/**
 * AWS errors as each protocol puts them on the wire. Handlers throw `AwsError`; the server renders
 * it in the shape of the service that was called, so clients parse it exactly as they would AWS's.
 */
import { XML_DECLARATION, el } from './xml.js';

/** An error response the fake sends; `reason` is the EBS `Reason` member. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly reason?: string,
  ) {
    super(message);
  }

  /** EC2 error (Query/XML `<Response><Errors>`), HTTP 400 unless told. */
  static ec2(code: string, message: string, status = 400): AwsError {
    return new AwsError(code, message, status);
  }

  /** STS/IAM error (`<ErrorResponse>`), HTTP 400 unless told. */
  static query(code: string, message: string, status = 400): AwsError {
    return new AwsError(code, message, status);
  }

  /** EBS direct (REST-JSON) error with the model's Reason member. */
  static ebs(code: string, message: string, status: number, reason?: string): AwsError {
    return new AwsError(code, message, status, reason);
  }
}

/** A rendered response: status, headers and body bytes. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** EC2's error envelope (note `RequestID`, not `requestId`, exactly as EC2 sends it). */
export function ec2ErrorResponse(err: AwsError, requestId: string): WireResponse {
  const xml =
    `${XML_DECLARATION}<Response><Errors><Error>${el('Code', err.code)}${el('Message', err.message)}</Error></Errors>` +
    `${el('RequestID', requestId)}</Response>`;
  return xmlResponse(err.status, xml, requestId);
}

/** The awsQuery error envelope of STS and IAM. */
export function queryErrorResponse(err: AwsError, requestId: string, namespace: string): WireResponse {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  const xml =
    `${XML_DECLARATION}<ErrorResponse xmlns="${namespace}"><Error>${el('Type', type)}${el('Code', err.code)}` +
    `${el('Message', err.message)}</Error>${el('RequestId', requestId)}</ErrorResponse>`;
  return xmlResponse(err.status, xml, requestId);
}

/**
 * A REST-JSON error. AWS's front end names the type in `x-amzn-ErrorType` with a namespace suffix
 * after ':' (clients strip it) and repeats it as `__type` in the body.
 */
export function jsonErrorResponse(err: AwsError, requestId: string): WireResponse {
  const body: Record<string, string> = { __type: err.code, Message: err.message };
  if (err.reason) body.Reason = err.reason;
  return {
    status: err.status,
    headers: {
      'Content-Type': 'application/json',
      'x-amzn-ErrorType': `${err.code}:http://internal.amazon.com/coral/com.amazon.coral.service/`,
      'x-amzn-RequestId': requestId,
    },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** An XML response with the headers AWS sends. */
export function xmlResponse(status: number, xml: string, requestId: string): WireResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/xml;charset=UTF-8', 'x-amzn-RequestId': requestId },
    body: Buffer.from(xml, 'utf8'),
  };
}
