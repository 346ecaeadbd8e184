// A plain-http server that answers as a pool would and records what it is sent: where a leaked password or token would land.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Caught {
  method: string
  host: string
  path: string
  authorization?: string
  body: string
}

export interface SecretCatcher {
  port: number
  /** every request received, in order */
  caught: Caught[]
  close(): Promise<void>
}

/**
 * Listens on 127.0.0.1; a request without a bearer gets a 401 MsRtcOAuth challenge naming its own http token URL (or tokenHref),
 * the token URL gives a token, and anything else a user resource with an applications link (all http), so a client
 * that does not refuse goes on to send the password and the token here.
 */
export async function startSecretCatcher(o: { tokenHref?: string } = {}): Promise<SecretCatcher> {
  const caught: Caught[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => {
      const host = String(req.headers.host ?? '')
      caught.push({ method: req.method ?? '', host, path: req.url ?? '', authorization: req.headers.authorization, body })
      const base = `http://${host}`
      res.setHeader('content-type', 'application/json')
      if (req.method === 'POST' && req.url?.startsWith('/WebTicket/oauthtoken')) {
        res.end(JSON.stringify({ access_token: 'cwt=caught', expires_in: 3600, token_type: 'Bearer' }))
      } else if (!req.headers.authorization) {
        res.statusCode = 401
        res.setHeader('www-authenticate', `MsRtcOAuth href="${o.tokenHref ?? `${base}/WebTicket/oauthtoken`}",grant_type="password"`)
        res.end()
      } else res.end(JSON.stringify({ _links: { self: { href: `${base}/user` }, applications: { href: `${base}/ucwa/oauth/v1/applications` } } }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    port: (server.address() as AddressInfo).port,
    caught,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
