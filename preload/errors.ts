// Errors that cross the contract are plain data; ApiError rebuilds a throwable on the renderer side.

export type ApiErrorKind = 'validation' | 'unknown-method' | 'ucwa' | 'internal' | 'transport'

export interface ApiIssue {
  path: string
  message: string
}

export interface ApiErrorShape {
  kind: ApiErrorKind
  code: string
  message: string
  subcode?: string
  status?: number
  issues?: ApiIssue[]
}

export class ApiError extends Error implements ApiErrorShape {
  readonly kind: ApiErrorKind
  readonly code: string
  readonly subcode?: string
  readonly status?: number
  readonly issues?: ApiIssue[]

  constructor(shape: ApiErrorShape) {
    super(shape.message)
    this.name = 'ApiError'
    this.kind = shape.kind
    this.code = shape.code
    if (shape.subcode !== undefined) this.subcode = shape.subcode
    if (shape.status !== undefined) this.status = shape.status
    if (shape.issues !== undefined) this.issues = shape.issues
  }

  toShape(): ApiErrorShape {
    const { kind, code, message, subcode, status, issues } = this
    return { kind, code, message, ...(subcode && { subcode }), ...(status && { status }), ...(issues && { issues }) }
  }
}

export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorShape }
