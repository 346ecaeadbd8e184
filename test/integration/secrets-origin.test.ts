// A token goes only to the origin that issued it; a redirect to another origin starts that origin's own challenge (issue #19).
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { UcwaClient } from '../../main/ucwa/client'
import { startSimulator, type SecretSeen, type Simulator } from '../simulator/index'
import { startSecretCatcher } from '../support/secret-catcher'
import { useTlsPools } from '../support/tls-pools'

const pools = useTlsPools()
let sim: Simulator

function client(o: { tls?: boolean } = {}): UcwaClient {
  return pools.keep(new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), ...(o.tls !== false && { connectTo: sim.connectTo, ca: pools.tls.ca }) }))
}

/** the bearer tokens a pool received */
const bearers = (seen: SecretSeen[], pool: string) => new Set(seen.filter((s) => s.pool === pool && s.authorization).map((s) => s.authorization!.replace(/^Bearer /, '')))

describe('a token goes only to the origin that issued it', () => {
  it('a sign-in sent from pool1 to pool2 (another origin) meets pool2’s own challenge and gets its own token; pool2 never sees pool1’s', async () => {
    sim = await pools.start()
    const c = client()
    await c.signIn({ sipAddress: 'dave@contoso.test', password: 'dave-pass', remember: false })
    expect(c.poolOrigin).toBe(sim.pools[1]!.origin)
    const seen = sim.control.secretsSeen()
    // the password went once to each pool's own token service, each after that pool's own challenge
    expect(seen.filter((s) => s.passwordOf)).toEqual([
      { pool: 'pool1', resource: 'oauthtoken', passwordOf: 'dave@contoso.test' },
      { pool: 'pool2', resource: 'oauthtoken', passwordOf: 'dave@contoso.test' },
    ])
    // pool2's first request carried no token: it challenged (nothing of pool2's is seen before its password grant)
    const pool2 = seen.filter((s) => s.pool === 'pool2')
    expect(pool2[0]).toEqual({ pool: 'pool2', resource: 'oauthtoken', passwordOf: 'dave@contoso.test' })
    const one = bearers(seen, 'pool1')
    const two = bearers(seen, 'pool2')
    expect(one.size).toBe(1)
    expect(two.size).toBe(1)
    expect([...two].some((t) => one.has(t))).toBe(false)
    expect(sim.control.world.tokens.issuedTo('dave@contoso.test').sort()).toEqual([...one, ...two].sort())
    // and the session goes on with pool2's token only
    await c.search('alice')
    expect(bearers(sim.control.secretsSeen(), 'pool2')).toEqual(two)
  })

  it('renewing the token of a redirected session: each pool still sees only its own tokens', async () => {
    sim = await pools.start()
    const c = client()
    await c.signIn({ sipAddress: 'dave@contoso.test', password: 'dave-pass', remember: true })
    expect(sim.control.expireTokens('dave@contoso.test')).toBe(2)
    expect((await c.search('alice')).map((p) => p.name)).toEqual(['Alice Ahlberg']) // the 401 renewed the token
    const seen = sim.control.secretsSeen()
    const one = bearers(seen, 'pool1')
    const two = bearers(seen, 'pool2')
    expect(two.size).toBeGreaterThanOrEqual(2) // the refused token and the new one
    expect([...two].some((t) => one.has(t))).toBe(false)
    expect([...one].some((t) => two.has(t))).toBe(false)
    expect(seen.filter((s) => s.passwordOf).every((s) => s.resource === 'oauthtoken')).toBe(true)
  })

  it('a challenge naming a token service on another origin gets no password there (ForeignOrigin)', async () => {
    sim = pools.closeAfter(await startSimulator()) // plain http on loopback: the catcher and pool2 are other origins on the same host
    const catcher = pools.closeAfter(await startSecretCatcher({ tokenHref: `${sim.pools[1]!.origin}/WebTicket/oauthtoken` }))
    sim.control.rawAnswer({ resource: 'root', json: { _links: { user: { href: `http://127.0.0.1:${catcher.port}/user` } } } })
    const e = await client({ tls: false })
      .signIn({ sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl: sim.url })
      .catch((x: unknown) => x)
    expect(e).toMatchObject({ status: 0, code: 'Forbidden', subcode: 'ForeignOrigin', debugInfo: { step: 'user', host: '127.0.0.1' } })
    expect(sim.control.secretsSeen()).toEqual([])
    expect(catcher.caught.map((r) => [r.method, r.path, r.authorization, r.body])).toEqual([['GET', '/user', undefined, '']])
  })
})
