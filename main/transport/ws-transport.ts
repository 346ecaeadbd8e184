// The contract over a local WebSocket: the browser-mode twin of ipcMain wiring. Same dispatch, same events.
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import * as v from 'valibot'
import { WebSocketServer, type WebSocket } from 'ws'
import { ClientFrame, WS_PATH, type ServerFrame } from '../../preload/wire'
import { issuesOf } from '../core/dispatcher'
import type { Core } from '../core/core'

export interface WsTransportOptions {
  server: Server
  core: Core
  /** secret the page got in its URL fragment; a socket without it is refused */
  key: string
  /** the only Origin allowed to connect */
  origin: () => string
  maxPayloadBytes?: number
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function attachWsTransport(options: WsTransportOptions): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1024 * 1024 })

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const allowed =
      url.pathname === WS_PATH && req.headers.origin === options.origin() && sameSecret(url.searchParams.get('key') ?? '', options.key)
    if (!allowed) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws))
  }
  options.server.on('upgrade', onUpgrade)

  function serve(ws: WebSocket): void {
    const send = (frame: ServerFrame): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
    }
    const unsubscribe = options.core.events.subscribe((name, payload) => send({ t: 'evt', name, payload }))
    ws.on('close', unsubscribe)
    ws.on('message', async (data) => {
      let frame: unknown
      try {
        frame = JSON.parse(data.toString())
      } catch {
        ws.close(1007, 'frames are JSON')
        return
      }
      const parsed = v.safeParse(ClientFrame, frame)
      if (!parsed.success) {
        const id = typeof (frame as { id?: unknown })?.id === 'number' ? (frame as { id: number }).id : -1
        send({
          t: 'res',
          id,
          envelope: { ok: false, error: { kind: 'validation', code: 'BadFrame', message: 'Malformed request frame', issues: issuesOf(parsed.issues) } },
        })
        return
      }
      send({ t: 'res', id: parsed.output.id, envelope: await options.core.dispatch(parsed.output.method, parsed.output.input) })
    })
  }

  return {
    close: () =>
      new Promise<void>((resolve) => {
        options.server.off('upgrade', onUpgrade)
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
}
