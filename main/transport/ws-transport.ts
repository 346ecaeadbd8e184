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
  /** where protocol faults of a peer are reported (never a secret: only error codes) */
  log?: (message: string) => void
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function attachWsTransport(options: WsTransportOptions): { close(): Promise<void> } {
  const log = options.log ?? (() => {})
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes ?? 1024 * 1024 })
  // an 'error' with no listener is thrown: every emitter a peer can make fail has one
  wss.on('error', (e) => log(`WebSocket server error: ${e.message}`))

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // a refused peer may reset the connection while we answer 403 (ECONNRESET, EPIPE)
    socket.on('error', (e) => log(`WebSocket upgrade socket error: ${e.message}`))
    // a request target that is no URL path ("//", "/\\") is refused like any other stranger
    const url = URL.canParse(req.url ?? '/', 'http://localhost') ? new URL(req.url ?? '/', 'http://localhost') : null
    const allowed =
      url !== null &&
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
    // a malformed frame (RFC 6455 §5, §7.4): ws has already closed this socket with 1002, 1007 or 1009
    ws.on('error', (e) => log(`WebSocket closed on a malformed frame: ${(e as Error & { code?: string }).code ?? e.message}`))
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
      const envelope = await options.core.dispatch(parsed.output.method, parsed.output.input).catch((e: unknown) => {
        log(`dispatch of ${parsed.output.method} threw: ${String(e)}`) // dispatch answers with envelopes; this is a bug, not a reason to exit
        return { ok: false as const, error: { kind: 'internal' as const, code: 'InternalError', message: 'Parley could not handle that request.' } }
      })
      send({ t: 'res', id: parsed.output.id, envelope })
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
