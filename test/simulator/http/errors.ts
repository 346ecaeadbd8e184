// UCWA error bodies: { code, subcode, message } (ErrorsAndInformationalMessages.md).

export interface Reason {
  code: string
  subcode?: string
  message?: string
}

const statusCodes: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  412: 'PreconditionFailed',
  413: 'EntityTooLarge',
  415: 'UnsupportedMediaType',
  428: 'PreconditionRequired',
  429: 'TooManyRequests',
  500: 'ServiceFailure',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
}

export function codeForStatus(status: number): string {
  return statusCodes[status] ?? (status >= 500 ? 'ServiceFailure' : 'BadRequest')
}

export class SimError extends Error {
  readonly code: string

  constructor(
    readonly status: number,
    readonly subcode: string | undefined,
    message: string,
    code?: string,
  ) {
    super(message)
    this.code = code ?? codeForStatus(status)
  }

  get reason(): Reason {
    return { code: this.code, ...(this.subcode && { subcode: this.subcode }), message: this.message }
  }
}

export const errors = {
  badRequest: (message: string) => new SimError(400, undefined, message),
  deserialization: (message = 'The request body could not be deserialized.') => new SimError(400, 'DeserializationFailure', message),
  parameter: (message: string) => new SimError(400, 'ParameterValidationFailure', message),
  notFound: (message = 'The resource does not exist.') => new SimError(404, undefined, message),
  applicationNotFound: () => new SimError(404, 'ApplicationNotFound', 'The application resource does not exist.'),
  applicationExpired: () => new SimError(404, 'InactiveApplicationExpired', 'An inactive application expired.'),
  methodNotAllowed: () => new SimError(405, undefined, 'The requested HTTP method is not supported for this resource.'),
  unsupportedMediaType: (type: string) => new SimError(415, 'UnsupportedMediaType', `The content-type is not supported: ${type || '(none)'}`),
  tooLarge: () => new SimError(413, undefined, 'The request is too large.'),
  conflict: (subcode: string, message: string) => new SimError(409, subcode, message),
  pGetReplaced: () => new SimError(409, 'PGetReplaced', 'The existing P-GET was replaced with a new P-GET from the client application.'),
}
