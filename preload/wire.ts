// Frames of the WebSocket transport; validated on receipt like any other input.
import * as v from 'valibot'
import type { Envelope } from './errors'

export const ClientFrame = v.strictObject({
  t: v.literal('req'),
  id: v.pipe(v.number(), v.integer(), v.minValue(0)),
  method: v.pipe(v.string(), v.maxLength(100)),
  input: v.optional(v.unknown()),
})
export type ClientFrame = v.InferOutput<typeof ClientFrame>

export type ServerFrame =
  | { t: 'res'; id: number; envelope: Envelope }
  | { t: 'evt'; name: string; payload: unknown }

export const WS_PATH = '/parley-ws'
