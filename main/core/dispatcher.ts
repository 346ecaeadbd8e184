// Validates every call against the contract before a handler sees it; both transports call dispatch().
import * as v from 'valibot'
import { contract, isRequestName, type ParsedInput, type RequestName, type RequestOutput } from '../../preload/contract'
import { ApiError, type ApiErrorShape, type Envelope } from '../../preload/errors'

export type Handlers = {
  [K in RequestName]: (input: ParsedInput<K>) => Promise<RequestOutput<K>> | RequestOutput<K>
}

export type Dispatch = (method: unknown, input: unknown) => Promise<Envelope>

/** Errors a handler may throw that carry their own shape (UcwaError later implements toApiError). */
export interface ToApiError {
  toApiError(): ApiErrorShape
}

function hasToApiError(e: unknown): e is ToApiError {
  return typeof e === 'object' && e !== null && typeof (e as ToApiError).toApiError === 'function'
}

export function issuesOf(issues: readonly v.BaseIssue<unknown>[]): ApiErrorShape['issues'] {
  return issues.map((issue) => ({ path: v.getDotPath(issue) ?? '', message: issue.message }))
}

export function createDispatcher(handlers: Handlers, onInternalError: (method: string, e: unknown) => void = () => {}): Dispatch {
  return async (method, input) => {
    if (!isRequestName(method)) {
      return { ok: false, error: { kind: 'unknown-method', code: 'UnknownMethod', message: `Unknown method: ${String(method).slice(0, 100)}` } }
    }
    const spec = contract.requests[method]
    const parsed = v.safeParse(spec.input, input)
    if (!parsed.success) {
      return {
        ok: false,
        error: { kind: 'validation', code: 'ValidationFailed', message: `Invalid input for ${method}`, issues: issuesOf(parsed.issues) },
      }
    }
    try {
      const handler = handlers[method] as (input: unknown) => unknown
      return { ok: true, value: await handler(parsed.output) }
    } catch (e) {
      if (e instanceof ApiError) return { ok: false, error: e.toShape() }
      if (hasToApiError(e)) return { ok: false, error: e.toApiError() }
      onInternalError(method, e)
      return { ok: false, error: { kind: 'internal', code: 'InternalError', message: `${method} failed` } }
    }
  }
}
