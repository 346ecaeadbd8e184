import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Simulator } from '../index'
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
