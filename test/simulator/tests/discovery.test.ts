import { request as httpsRequest } from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTestTls, type TestTls } from '../../support/test-tls'
import { startSimulator, type Simulator } from '../index'
import { http, token, withSimulator } from './helpers'

let sim: Simulator
beforeAll(async () => {
  sim = await withSimulator()
})
afterAll(() => sim.close())

const USER = '/autodiscover/autodiscoverservice.svc/root/oauth/user'

describe('autodiscovery and sign-in (CreateAnApplication.md)', () => {
  it('the lyncdiscover root links self, user and xframe, in JSON and XML', async () => {
    const json = await http(sim.url)
    expect(json.status).toBe(200)
    expect(Object.keys(json.json._links).sort()).toEqual(['self', 'user', 'xframe'])
    const xml = await http(sim.url, { accept: 'xml' })
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml/)
    expect(xml.xml.resource[0]['@_rel']).toBe('root')
    expect(xml.xml.resource[0].link.map((l: { '@_rel': string }) => l['@_rel']).sort()).toEqual(['user', 'xframe'])
  })

  it('the user resource challenges with MsRtcOAuth and the token endpoint issues a cwt Bearer token', async () => {
    const root = await http(sim.url)
    const challenge = await http(root.json._links.user.href)
    expect(challenge.status).toBe(401)
    const header = challenge.headers.get('www-authenticate')!
    const m = /MsRtcOAuth href="([^"]+)",grant_type="([^"]+)"/.exec(header)
    expect(m?.[2]).toContain('password')
    const form = new URLSearchParams({ grant_type: 'password', username: 'alice@contoso.test', password: 'alice-pass' })
    const tok = await http(m![1]!, { method: 'POST', type: 'application/x-www-form-urlencoded;charset=UTF-8', body: form.toString() })
    expect(tok.status).toBe(200)
    expect(tok.json).toMatchObject({ token_type: 'Bearer', expires_in: 28800 })
    expect(tok.json.access_token).toMatch(/^cwt=/)
    const user = await http(root.json._links.user.href, { token: tok.json.access_token })
    expect(user.status).toBe(200)
    expect(user.json._links.applications.href).toBe(`${sim.pools[0]!.origin}/ucwa/oauth/v1/applications`)
  })

  it('a wrong password, a missing field or another grant type get OAuth error bodies', async () => {
    const post = (fields: Record<string, string>) =>
      http(`${sim.pools[0]!.origin}/WebTicket/oauthtoken`, { method: 'POST', type: 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() })
    expect((await post({ grant_type: 'password', username: 'alice@contoso.test', password: 'nope' })).json).toMatchObject({ error: 'invalid_grant' })
    expect((await post({ grant_type: 'password', username: 'nobody@contoso.test', password: 'x' })).status).toBe(400)
    expect((await post({ grant_type: 'password', username: 'alice@contoso.test' })).json).toMatchObject({ error: 'invalid_request' })
    expect((await post({ grant_type: 'urn:microsoft.rtc:windows' })).json).toMatchObject({ error: 'unsupported_grant_type' })
  })

  it('a user homed on the second pool is redirected there, and must authenticate again', async () => {
    const pool1 = sim.pools[0]!.origin
    const pool2 = sim.pools[1]!.origin
    const t1 = await token(pool1, 'dave@contoso.test', 'dave-pass')
    const user = await http(`${pool1}${USER}`, { token: t1 })
    expect(user.json._links.applications).toBeUndefined()
    const redirect = await http(user.json._links.redirect.href, { token: t1 })
    expect(redirect.json.rel).toBe('redirect')
    const user2href = redirect.json._links.user.href
    expect(user2href).toBe(`${pool2}${USER}`)
    expect((await http(user2href, { token: t1 })).status).toBe(401) // pool1's token is no good on pool2
    const t2 = await token(pool2, 'dave@contoso.test', 'dave-pass')
    const user2 = await http(user2href, { token: t2 })
    expect(user2.json._links.applications.href).toBe(`${pool2}/ucwa/oauth/v1/applications`)
  })

  it('a misconfigured topology redirects in a loop (for clients’ loop limits)', async () => {
    sim.control.setRedirectLoop(true)
    try {
      let href = `${sim.pools[0]!.origin}${USER}`
      const seen: string[] = []
      for (let i = 0; i < 4; i++) {
        const origin = new URL(href).origin
        const t = await token(origin, 'alice@contoso.test', 'alice-pass')
        const user = await http(href, { token: t })
        const redirect = await http(user.json._links.redirect.href, { token: t })
        href = redirect.json._links.user.href
        seen.push(new URL(href).origin)
      }
      expect(new Set(seen).size).toBe(2)
    } finally {
      sim.control.setRedirectLoop(false)
    }
  })
})

describe('discovery names over HTTPS (RootURL.md steps 2-5)', () => {
  let named: Simulator
  let tls: TestTls
  beforeAll(async () => {
    tls = makeTestTls('contoso.test')
    named = await startSimulator({ tls: { key: tls.key, cert: tls.cert } })
  })
  afterAll(() => named.close())

  /** GET https://<name>/… as a client would, the connection going where the simulator's connectTo says (TLS checked against the test CA) */
  function get(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
    const u = new URL(url)
    const to = named.connectTo(u.hostname, Number(u.port || 443))
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        { host: to?.host ?? u.hostname, port: to?.port ?? 443, path: u.pathname, servername: u.hostname, headers: { host: u.host, accept: 'application/json' }, ca: tls.ca },
        (res) => {
          let body = ''
          res.on('data', (c: Buffer) => (body += c))
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }))
        },
      )
      req.on('error', reject)
      req.end()
    })
  }

  it('both names answer the root at first, with links on the named pool host; the discovery URL is lyncdiscover.<domain>', async () => {
    expect(named.url).toBe('https://lyncdiscover.contoso.test/')
    expect(named.pools[0]!.origin).toMatch(/^https:\/\/pool1\.contoso\.test:\d+$/)
    for (const name of ['lyncdiscoverinternal', 'lyncdiscover']) {
      const res = await get(`https://${name}.contoso.test/`)
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body)._links.user.href).toBe(`${named.pools[0]!.origin}${USER}`)
    }
    expect(named.control.discoveryAsked().slice(-2)).toEqual(['lyncdiscoverinternal.contoso.test', 'lyncdiscover.contoso.test'])
  })

  it('each name can answer 404, refuse the connection, stay silent, redirect (302) or give only a redirect link, independently', async () => {
    named.control.setDiscovery('internal', 'not-found')
    named.control.setDiscovery('external', { status: 302, location: 'https://lyncdiscover.fabrikam.test/' })
    expect((await get('https://lyncdiscoverinternal.contoso.test/')).status).toBe(404)
    const moved = await get('https://lyncdiscover.contoso.test/')
    expect(moved.status).toBe(302)
    expect(moved.headers.location).toBe('https://lyncdiscover.fabrikam.test/')

    named.control.setDiscovery('internal', 'refused')
    await expect(get('https://lyncdiscoverinternal.contoso.test/')).rejects.toMatchObject({ code: 'ECONNREFUSED' })

    named.control.setDiscovery('internal', 'silent')
    const pending = get('https://lyncdiscoverinternal.contoso.test/')
    pending.catch(() => {}) // it ends when the simulator closes
    const silent = await Promise.race([pending, new Promise((r) => setTimeout(() => r('no answer'), 500))])
    expect(silent).toBe('no answer')

    named.control.setDiscovery('external', { redirectLink: `${named.pools[0]!.origin}/autodiscover/autodiscoverservice.svc/root` })
    const only = await get('https://lyncdiscover.contoso.test/')
    expect(only.status).toBe(200)
    expect(JSON.parse(only.body)).toEqual({ _links: { redirect: { href: `${named.pools[0]!.origin}/autodiscover/autodiscoverservice.svc/root` } } })
    // the pool's own root, by its own name, is unchanged
    expect(JSON.parse((await get(`${named.pools[0]!.origin}/autodiscover/autodiscoverservice.svc/root`)).body)._links.user.href).toBe(`${named.pools[0]!.origin}${USER}`)
  })

  it('names outside the simulator are not connected anywhere', () => {
    expect(named.connectTo('lyncdiscover.fabrikam.test', 443)).toBeUndefined()
    expect(named.connectTo('pool1.contoso.test', 1)).toBeUndefined()
  })
})

describe('raw answers for clients’ HTTP tests', () => {
  it('a resource can answer a 302, once', async () => {
    sim.control.rawAnswer({ resource: 'root', redirect: { status: 302, location: 'https://elsewhere.test/' } })
    const first = await fetch(sim.url, { redirect: 'manual' })
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe('https://elsewhere.test/')
    expect((await http(sim.url)).status).toBe(200)
  })

  it('a slow oversized body stops when the client hangs up, and records how much it sent', async () => {
    const record = sim.control.rawAnswer({ resource: 'root', stream: { bytes: 64 * 1024 * 1024, chunkBytes: 64 * 1024, everyMs: 5 } })
    const stop = new AbortController()
    const res = await fetch(sim.url, { signal: stop.signal })
    const reader = res.body!.getReader()
    let got = 0
    while (got < 256 * 1024) got += (await reader.read()).value!.length
    stop.abort()
    await record.closed
    expect(record.finished).toBe(false)
    expect(record.written).toBeGreaterThanOrEqual(200 * 1024)
    expect(record.written).toBeLessThan(64 * 1024 * 1024)
  })
})
