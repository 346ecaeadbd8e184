// Passwords and tokens only over TLS (issue #19): after an https discovery, an http link gets neither; loopback is the one exception.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MemoryTokenStore, tokenAccount } from '../../main/credentials/token-store'
import { passwordGrant } from '../../main/ucwa/auth'
import { UcwaClient } from '../../main/ucwa/client'
import { UcwaError } from '../../main/ucwa/errors'
import { UcwaHttp } from '../../main/ucwa/http'
import type { Simulator } from '../simulator/index'
import { startSecretCatcher, type SecretCatcher } from '../support/secret-catcher'
import { useTlsPools } from '../support/tls-pools'

/** a name in the SIP domain (the step-6 check passes) that the catcher answers on plain http */
const PLAIN = 'pool9.contoso.test'

const pools = useTlsPools()
let sim: Simulator
let catcher: SecretCatcher

async function setUp(): Promise<void> {
  sim = await pools.start()
  catcher = pools.closeAfter(await startSecretCatcher())
}

/** named hosts as the simulator says; PLAIN (and any host on the catcher's port) to the catcher, on loopback */
const connectTo = (host: string, port: number) => (port === catcher.port ? { host: '127.0.0.1', port: catcher.port } : sim.connectTo(host, port))

function client(tokenStore = new MemoryTokenStore()): UcwaClient {
  return pools.keep(new UcwaClient({ tokenStore, endpointId: randomUUID(), connectTo, ca: pools.tls.ca }))
}

const plain = (path: string) => `http://${PLAIN}:${catcher.port}${path}`

async function refusal(c: UcwaClient, sipAddress = 'alice@contoso.test', password = 'alice-pass'): Promise<UcwaError> {
  const e = await c.signIn({ sipAddress, password, remember: false }).then(() => expect.fail('signed in'), (x: unknown) => x)
  expect(e).toBeInstanceOf(UcwaError)
  return e as UcwaError
}

describe('secrets only over TLS (sign-in)', () => {
  it('a discovery root naming an http user link: InsecureTransport naming the host; nothing is sent there', async () => {
    await setUp()
    sim.control.rawAnswer({ resource: 'root', json: { _links: { user: { href: plain('/user') } } } })
    const c = client()
    const e = await refusal(c)
    expect(e).toMatchObject({
      status: 0,
      code: 'Forbidden',
      subcode: 'InsecureTransport',
      message: `${PLAIN} asked for your password over an unencrypted connection (http). Parley did not send it.`,
    })
    expect(e.debugInfo).toMatchObject({ host: PLAIN, step: 'user', secret: 'password' })
    expect(catcher.caught).toEqual([])
    expect(c.state).toBe('signed-out')
  })

  it('a user resource naming an http applications link: InsecureTransport; the token is not sent there', async () => {
    await setUp()
    sim.control.rawAnswer({ resource: 'user', json: { _links: { applications: { href: plain('/ucwa/oauth/v1/applications') } } } })
    const e = await refusal(client())
    expect(e).toMatchObject({ code: 'Forbidden', subcode: 'InsecureTransport', message: expect.stringContaining(`${PLAIN} asked for your sign-in over an unencrypted connection`) })
    expect(e.debugInfo).toMatchObject({ host: PLAIN, step: 'applications', secret: 'token' })
    expect(catcher.caught).toEqual([])
    expect(sim.control.applications('alice@contoso.test')).toEqual([])
  })

  it('a user resource naming an http redirect link: InsecureTransport; nothing is sent there', async () => {
    await setUp()
    sim.control.rawAnswer({ resource: 'user', json: { _links: { redirect: { href: plain('/redirect') } } } })
    const e = await refusal(client())
    expect(e).toMatchObject({ code: 'Forbidden', subcode: 'InsecureTransport' })
    expect(e.debugInfo).toMatchObject({ host: PLAIN, step: 'redirect' })
    expect(catcher.caught).toEqual([])
  })

  it('a redirect resource naming an http user link (the next pool): InsecureTransport; no password goes there', async () => {
    await setUp()
    // dave is homed on pool2: pool1's user resource sends him on through its redirect resource
    sim.control.rawAnswer({ resource: 'redirect', json: { _links: { user: { href: plain('/user') } } } })
    const e = await refusal(client(), 'dave@contoso.test', 'dave-pass')
    expect(e).toMatchObject({ code: 'Forbidden', subcode: 'InsecureTransport', message: expect.stringContaining(`${PLAIN} asked for your password`) })
    expect(e.debugInfo).toMatchObject({ host: PLAIN, step: 'redirect', secret: 'password' })
    expect(catcher.caught).toEqual([])
  })

  it('a challenge naming an http token URL gets no password (the password grant itself refuses)', async () => {
    await setUp()
    const http = new UcwaHttp({ token: () => null, allowedOrigins: () => new Set(), connectTo, ca: pools.tls.ca })
    const grant = passwordGrant(http, { href: plain('/WebTicket/oauthtoken'), grantTypes: ['password'] }, 'alice@contoso.test', 'alice-pass')
    await expect(grant).rejects.toMatchObject({ code: 'Forbidden', subcode: 'InsecureTransport', debugInfo: { host: PLAIN, secret: 'password' } })
    expect(catcher.caught).toEqual([])
  })
})

describe('secrets only over TLS (every bearer request)', () => {
  it('a session whose pool origin is plain http off this machine never sends its token, though it is the pool’s own origin', async () => {
    await setUp()
    const store = new MemoryTokenStore()
    const poolOrigin = `http://${PLAIN}:${catcher.port}`
    await store.set(tokenAccount('alice@contoso.test', poolOrigin), { accessToken: 'cwt=kept', tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000 })
    const c = client(store)
    expect(await c.resume({ sipAddress: 'alice@contoso.test', poolOrigin, applicationsHref: `${poolOrigin}/ucwa/oauth/v1/applications`, remember: false })).toBeNull()
    expect(c.lastError).toMatchObject({ code: 'Forbidden', subcode: 'InsecureTransport', debugInfo: { host: PLAIN, secret: 'token' } })
    expect(catcher.caught).toEqual([])
  })

  it('loopback is the exception: http to 127.0.0.1 or localhost carries the token (the simulator)', async () => {
    catcher = pools.closeAfter(await startSecretCatcher())
    const origins = [`http://127.0.0.1:${catcher.port}`, `http://localhost:${catcher.port}`]
    const http = new UcwaHttp({ token: () => 'cwt=local', allowedOrigins: () => new Set(origins), connectTo: (_h, port) => ({ host: '127.0.0.1', port }) })
    for (const origin of origins) await http.get(`${origin}/user`)
    expect(catcher.caught.map((r) => [r.host, r.authorization])).toEqual([
      [`127.0.0.1:${catcher.port}`, 'Bearer cwt=local'],
      [`localhost:${catcher.port}`, 'Bearer cwt=local'],
    ])
  })
})
