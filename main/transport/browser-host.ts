// Serves the built renderer and the WebSocket transport on loopback: the client without Electron.
import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import sirv from 'sirv'
import { contentSecurityPolicy } from '../desktop/csp'
import type { Core } from '../core/core'
import { attachWsTransport } from './ws-transport'

export interface BrowserHost {
  /** open this in a browser; the fragment carries the socket key and never reaches a server log */
  url: string
  origin: string
  close(): Promise<void>
}

export async function startBrowserHost(options: { core: Core; rendererDir: string; port?: number; host?: string; log?: (message: string) => void }): Promise<BrowserHost> {
  const key = randomBytes(24).toString('base64url')
  const serveStatic = sirv(options.rendererDir, { dev: false, etag: true, gzip: false, brotli: false })
  let origin = ''
  const server: Server = createServer((req, res) => {
    const wsOrigin = origin.replace(/^http/, 'ws')
    res.setHeader('Content-Security-Policy', contentSecurityPolicy([wsOrigin]))
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    serveStatic(req, res, () => {
      res.statusCode = 404
      res.end('Not found')
    })
  })
  const ws = attachWsTransport({ server, core: options.core, key, origin: () => origin, log: options.log })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  origin = `http://${address.address}:${address.port}`
  return {
    url: `${origin}/#key=${key}`,
    origin,
    async close() {
      await ws.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
