// Browser mode: the same RawBridge as the Electron preload, over the core's local WebSocket.
import type { RawBridge } from '../../../preload/api-types'
import type { Envelope } from '../../../preload/errors'
import { WS_PATH, type ServerFrame } from '../../../preload/wire'

export function createWsBridge(origin: string, key: string, WebSocketImpl: typeof WebSocket = WebSocket): RawBridge {
  const url = `${origin.replace(/^http/, 'ws')}${WS_PATH}?key=${encodeURIComponent(key)}`
  const socket = new WebSocketImpl(url)
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true })
    socket.addEventListener('error', () => reject(new Error('Cannot reach the Parley core')), { once: true })
  })
  const pending = new Map<number, (envelope: Envelope) => void>()
  const listeners = new Set<(event: string, payload: unknown) => void>()
  let nextId = 0

  socket.addEventListener('message', (message) => {
    const frame = JSON.parse(String(message.data)) as ServerFrame
    if (frame.t === 'evt') {
      for (const listener of listeners) listener(frame.name, frame.payload)
    } else {
      pending.get(frame.id)?.(frame.envelope)
      pending.delete(frame.id)
    }
  })
  socket.addEventListener('close', () => {
    for (const settle of pending.values()) {
      settle({ ok: false, error: { kind: 'transport', code: 'Disconnected', message: 'The connection to the Parley core closed' } })
    }
    pending.clear()
  })

  return {
    async invoke(method, input) {
      try {
        await opened
      } catch (e) {
        return { ok: false, error: { kind: 'transport', code: 'Unreachable', message: (e as Error).message } }
      }
      const id = nextId++
      return new Promise<Envelope>((resolve) => {
        pending.set(id, resolve)
        socket.send(JSON.stringify({ t: 'req', id, method, input }))
      })
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
