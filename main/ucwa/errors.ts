// One error type for everything the pool (or the road to it) can say, with a message a person can act on.
import type { ApiErrorShape } from '../../preload/errors'

export interface UcwaErrorShape {
  /** HTTP status; 0 when no response came (network) or the client refused to send */
  status: number
  code: string
  subcode?: string
  message: string
  debugInfo?: Record<string, string>
}

export class UcwaError extends Error implements UcwaErrorShape {
  readonly status: number
  readonly code: string
  readonly subcode?: string
  readonly debugInfo?: Record<string, string>

  constructor(shape: UcwaErrorShape) {
    super(shape.message)
    this.name = 'UcwaError'
    this.status = shape.status
    this.code = shape.code
    if (shape.subcode) this.subcode = shape.subcode
    if (shape.debugInfo) this.debugInfo = shape.debugInfo
  }

  is(code: string, subcode?: string): boolean {
    return this.code === code && (subcode === undefined || this.subcode === subcode)
  }

  toApiError(): ApiErrorShape {
    return { kind: 'ucwa', code: this.code, message: this.message, status: this.status, ...(this.subcode && { subcode: this.subcode }) }
  }
}

/** What a person reads for each code/subcode the reference pages list (seed tables and generic errors). */
const bySubcode: Record<string, string> = {
  CallbackChannelError: 'The server could not reach the other side right now. Try again in a moment.',
  InvalidExchangeServerVersion: 'Your mailbox server version is not supported for this feature. Ask your administrator.',
  AlreadyExists: 'That already exists. If you were adding someone or starting a conference, it is already under way.',
  TooManyGroups: 'You have too many contact groups. Remove one and try again.',
  CannotRedirect: 'Your account is on another server and this one cannot send you there (no backup pool). Ask your administrator.',
  ApplicationNotFound: 'The server no longer knows this session. Parley is reconnecting.',
  InactiveApplicationExpired: 'Your session expired while Parley was inactive. Parley is reconnecting.',
  DeserializationFailure: 'The server could not read what Parley sent.',
  ParameterValidationFailure: 'The server refused a value Parley sent.',
  MobileApplicationNoLongerAllowed: 'Your account is no longer allowed to use mobile apps.',
  ResourceNotFound: 'That item no longer exists.',
  TooManyApplications: 'You are signed in on too many devices. Sign out somewhere else and try again.',
  UnsupportedMediaType: 'The server did not accept the format Parley sent.',
  VersionNotSupported: 'This server does not support the version of the interface Parley uses.',
  PGetReplaced: 'Parley was opened somewhere else with this session, so this window stopped receiving updates.',
  EscalationFailed: 'The call could not be turned into a conference. Your call continues as it was.',
  MakeMeAvailableRequired: 'Parley must sign you in for calls first.',
  InvalidMediaDescription: 'The call could not start: the media description was not valid.',
  // ErrorSubcode_ref.md; what a conference unit (AVMCU) answers a DTLS-only offer (test/simulator/conference/sfb-admission.ts)
  MediaEncryptionRequired: 'The media could not be connected: the server requires encryption keys (SDES) that were not offered.',
  Declined: 'The call was declined.',
  Canceled: 'The call was cancelled.',
  Timeout: 'There was no answer.',
  Missed: 'You missed a call.',
  Unreachable: 'That person is not signed in.',
  DoNotDisturb: 'That person does not want to be disturbed right now.',
  DestinationNotFound: 'That person could not be found.',
  ConnectedElsewhere: 'The call was answered on another device.',
  CallTerminated: 'The call ended.',
  Ended: 'The conference has finished.',
  ForeignOrigin: 'Parley refused to send your sign-in to a server outside your pool.',
  OperationTimedOut: 'The server did not finish that in time.',
  RedirectLoop: 'Your servers keep redirecting sign-in between each other. Ask your administrator.',
  SignInRequired: 'Your sign-in has expired and Parley does not keep your password. Sign in again.',
  TokenRefused: 'The server refused your sign-in even after Parley renewed it. Sign in again.',
  MalformedEvents: 'The server kept sending updates Parley could not read, so Parley signed you out. Sign in again.',
}

const byCode: Record<string, string> = {
  BadRequest: 'The server rejected the request.',
  Conflict: 'The server could not do that right now because of a conflicting state.',
  EntityTooLarge: 'The request was too large for the server.',
  ExchangeServiceFailure: 'The mail server (Exchange) did not answer in time.',
  Forbidden: 'Your account is not allowed to do that.',
  GatewayTimeout: 'The server took too long to answer.',
  Gone: 'That is no longer available.',
  MethodNotAllowed: 'The server does not allow that operation here.',
  NotAcceptable: 'The server cannot answer in a format Parley understands.',
  NotFound: 'That item no longer exists.',
  PreconditionFailed: 'Something changed on the server meanwhile. Try again.',
  PreconditionRequired: 'The server needs a newer copy first. Try again.',
  ServiceFailure: 'The server had a problem. Try again in a moment.',
  ServiceUnavailable: 'The server is not available right now. Try again in a moment.',
  Timeout: 'The server took too long to answer.',
  TooManyRequests: 'The server is busy. Try again in a moment.',
  UnsupportedMediaType: 'The server did not accept the format Parley sent.',
  Unauthorized: 'Your sign-in has expired. Sign in again.',
  InvalidGrant: 'The sign-in address or password is not right.',
  NetworkError: 'Parley cannot reach the server. Check your connection.',
  BadResponse: 'The server sent something Parley could not read.',
}

/** The person's words for a subcode, when there are some (MediaEncryptionRequired, Declined, …); undefined otherwise. */
export function subcodeMessage(subcode: string): string | undefined {
  return Object.hasOwn(bySubcode, subcode) ? bySubcode[subcode] : undefined
}

export function userMessage(code: string, subcode?: string): string {
  return (subcode && bySubcode[subcode]) || byCode[code] || 'Something went wrong.'
}

/** A UcwaError from a parsed error body ({code, subcode, message} in JSON or <reason> in XML). */
export function errorFromBody(status: number, body: Record<string, unknown> | null): UcwaError {
  const code = typeof body?.code === 'string' ? body.code : statusCode(status)
  const subcode = typeof body?.subcode === 'string' && body.subcode !== 'None' ? body.subcode : undefined
  const debugInfo = typeof body?.debugInfo === 'object' && body.debugInfo ? (body.debugInfo as Record<string, string>) : undefined
  return new UcwaError({ status, code, subcode, message: userMessage(code, subcode), debugInfo })
}

export function statusCode(status: number): string {
  const codes: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict', 410: 'Gone', 412: 'PreconditionFailed', 413: 'EntityTooLarge', 415: 'UnsupportedMediaType', 429: 'TooManyRequests', 500: 'ServiceFailure', 503: 'ServiceUnavailable', 504: 'GatewayTimeout' }
  return codes[status] ?? (status >= 500 ? 'ServiceFailure' : 'BadRequest')
}

export function reasonError(reason: { code?: string; subcode?: string; message?: string } | undefined, fallback = 'ServiceFailure'): UcwaError {
  const code = reason?.code ?? fallback
  const subcode = reason?.subcode && reason.subcode !== 'None' ? reason.subcode : undefined
  return new UcwaError({ status: 0, code, subcode, message: userMessage(code, subcode) })
}

/** Forbidden/ForeignOrigin: the client refused to send a token or credential to an origin other than the pool's. */
export function foreignOriginError(debugInfo?: Record<string, string>): UcwaError {
  return new UcwaError({ status: 0, code: 'Forbidden', subcode: 'ForeignOrigin', message: userMessage('Forbidden', 'ForeignOrigin'), ...(debugInfo && { debugInfo }) })
}

/** True when an attempt (such as a token renewal) never got the pool's answer: NetworkError or a 5xx, worth trying again later. */
export function couldNotReachPool(e: unknown): e is UcwaError {
  return e instanceof UcwaError && (e.code === 'NetworkError' || e.status >= 500)
}
