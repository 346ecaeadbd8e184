// The main-process UCWA client against the simulator over real HTTP: sign-in, redirects, tokens, sign-out.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { openTokenStore } from '../../main/credentials/open-token-store'
import { MemoryTokenStore, tokenAccount } from '../../main/credentials/token-store'
import { UcwaClient, type SavedSession, type SessionState } from '../../main/ucwa/client'
import { UcwaError } from '../../main/ucwa/errors'
import { startSimulator, type Simulator } from '../simulator/index'

let sim: Simulator
const clients: UcwaClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.signOut().catch(() => {})))
  await sim?.close()
})

function client(opts: Partial<ConstructorParameters<typeof UcwaClient>[0]> = {}) {
  const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), channel: { backoff: { baseMs: 5, capMs: 50 } }, ...opts })
  clients.push(c)
  return c
}

describe.each(['json', 'xml'] as const)('sign-in (%s)', (format) => {
  it('discovers, authenticates, creates the application and makes the user available', async () => {
    sim = await startSimulator()
    const c = client({ format })
    const states: SessionState[] = []
    c.on('state', (s) => states.push(s))
    const me = await c.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
    expect(me).toMatchObject({ name: 'Alice Ahlberg', uri: 'sip:alice@contoso.test' })
    expect(states).toEqual(['discovering', 'authenticating', 'creating-application', 'signed-in'])
    expect(sim.control.applications('alice@contoso.test')).toMatchObject([{ available: true }])
    expect((await c.search('bob')).map((x) => x.name)).toEqual(['Bob Brennan'])
  })
})

describe('sign-in failures and redirects', () => {
  it('a wrong password is InvalidGrant with a clear message, and the session stays signed out', async () => {
    sim = await startSimulator()
    const c = client()
    const error = await c.signIn({ sipAddress: 'alice@contoso.test', password: 'wrong', remember: false, discoveryUrl: sim.url }).catch((e) => e)
    expect(error).toBeInstanceOf(UcwaError)
    expect(error).toMatchObject({ code: 'InvalidGrant', message: 'The sign-in address or password is not right.' })
    expect(c.state).toBe('signed-out')
  })

  it('follows the redirect to the user’s home pool and signs in there', async () => {
    sim = await startSimulator()
    const c = client()
    await c.signIn({ sipAddress: 'dave@contoso.test', password: 'dave-pass', remember: false, discoveryUrl: sim.url })
    expect(c.poolOrigin).toBe(sim.pools[1]!.origin)
    expect(sim.control.applications('dave@contoso.test')).toMatchObject([{ pool: 'pool2' }])
  })

  it('stops a redirect loop with RedirectLoop', async () => {
    sim = await startSimulator()
    sim.control.setRedirectLoop(true)
    const error = await client().signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url }).catch((e) => e)
    expect(error).toMatchObject({ code: 'Conflict', subcode: 'RedirectLoop' })
  })

  it('an unreachable server is NetworkError naming the server asked', async () => {
    const error = await client().signIn({ sipAddress: 'alice@contoso.test', password: 'x', remember: false, discoveryUrl: 'http://127.0.0.1:9/' }).catch((e) => e)
    expect(error).toMatchObject({ status: 0, code: 'NetworkError', subcode: 'AutodiscoveryFailed', message: '127.0.0.1 did not answer. Check your connection and the sign-in address.' })
  })

  it('never sends the token to an origin outside the pool', async () => {
    sim = await startSimulator()
    const seen: Array<string | undefined> = []
    const foreign = createServer((req, res) => {
      seen.push(req.headers.authorization)
      res.end('{}')
    })
    await new Promise<void>((r) => foreign.listen(0, '127.0.0.1', r))
    const c = client()
    await c.signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
    const other = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/ucwa/oauth/v1/applications/x`
    await expect(c.http.get(other)).rejects.toMatchObject({ code: 'Forbidden', subcode: 'ForeignOrigin' })
    // the second pool is another origin too: the token issued by pool1 is not sent there
    await expect(c.http.get(`${sim.pools[1]!.origin}/ucwa/oauth/v1/applications`)).rejects.toMatchObject({ subcode: 'ForeignOrigin' })
    expect(seen).toEqual([])
    foreign.close()
  })

  it('a user redirect link on another origin gets no token, even on a trusted host', async () => {
    sim = await startSimulator()
    const seen: Array<string | undefined> = []
    const other = createServer((req, res) => {
      seen.push(req.headers.authorization)
      res.setHeader('content-type', 'application/json')
      res.end('{"_links":{}}')
    })
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
    const href = `http://127.0.0.1:${(other.address() as AddressInfo).port}/redirect`
    sim.control.rawAnswer({ resource: 'user', json: { _links: { redirect: { href } } } })
    const error = await client().signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url }).catch((e) => e)
    expect(error).toMatchObject({ code: 'BadResponse' }) // the other server says nothing useful…
    expect(seen).toEqual([undefined]) // …and never saw pool1's token
    other.close()
  })

  it('stores the token in the keychain and reuses it at the next start; sign-out deletes both', async () => {
    sim = await startSimulator()
    const tokenStore = await openTokenStore({ service: `Parley test ${randomUUID()}` })
    expect(tokenStore.kind).toBe('keychain')
    let saved: SavedSession | null = null
    const first = client({ tokenStore })
    first.on('saved', (s) => (saved = s))
    await first.signIn({ sipAddress: 'bob@contoso.test', password: 'bob-pass', remember: false, discoveryUrl: sim.url })
    const account = tokenAccount('bob@contoso.test', saved!.poolOrigin)
    const stored = await tokenStore.get(account)
    expect(stored?.accessToken).toMatch(/^cwt=/)
    expect(stored?.password).toBeUndefined() // not remembered

    // "restart": a new client, no password, same keychain
    const second = client({ tokenStore })
    const me = await second.resume(saved!)
    expect(me?.name).toBe('Bob Brennan')
    expect(second.state).toBe('signed-in')
    await second.signOut()
    expect(await tokenStore.get(account)).toBeNull()
    expect(sim.control.applications('bob@contoso.test').map((a) => a.endpointId)).not.toContain(second['options'].endpointId)
  })
})
