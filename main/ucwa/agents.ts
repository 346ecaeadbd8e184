// The session's keep-alive sockets, optionally connecting somewhere else than DNS says (like curl --connect-to).
import type { Duplex } from 'node:stream'
import { Agent as HttpAgent, type ClientRequestArgs } from 'node:http'
import { Agent as HttpsAgent, type RequestOptions as HttpsRequestOptions } from 'node:https'
import { rootCertificates } from 'node:tls'

/** Where to open the TCP connection for a URL's host and port; undefined keeps them. URLs, Host and TLS SNI stay as they are. */
export type ConnectTo = (host: string, port: number) => { host: string; port: number } | undefined

export interface AgentOptions {
  connectTo?: ConnectTo
  /** an extra CA to trust beside the system's (PEM), e.g. a test CA */
  ca?: string
}

type Callback = (err: Error | null, stream: Duplex) => void

function target<T extends ClientRequestArgs>(connectTo: ConnectTo | undefined, options: T, defaultPort: number): T {
  const host = String(options.host ?? options.hostname ?? 'localhost')
  const port = Number(options.port ?? defaultPort)
  const to = connectTo?.(host, port)
  // servername is what TLS names: the URL's host, not where the socket goes
  return to ? { ...options, host: to.host, hostname: to.host, port: to.port, servername: (options as HttpsRequestOptions).servername ?? host } : options
}

/** One keep-alive pool per session: the parked P-GET holds one socket, commands use the others. */
export function sessionAgents(o: AgentOptions = {}): { http: HttpAgent; https: HttpsAgent } {
  const { connectTo } = o
  class Http extends HttpAgent {
    override createConnection(options: ClientRequestArgs, callback?: Callback): Duplex | null | undefined {
      return super.createConnection(target(connectTo, options, 80), callback)
    }
  }
  class Https extends HttpsAgent {
    override createConnection(options: HttpsRequestOptions, callback?: Callback): Duplex | null | undefined {
      return super.createConnection(target(connectTo, options, 443), callback)
    }
  }
  return {
    http: new Http({ keepAlive: true, maxSockets: 8 }),
    https: new Https({ keepAlive: true, maxSockets: 8, ...(o.ca && { ca: [...rootCertificates, o.ca] }) }),
  }
}
