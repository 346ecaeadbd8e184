// Autodiscovery as RootURL.md describes it, against the simulator serving HTTPS under named hosts (lyncdiscover.contoso.test…).
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MemoryTokenStore } from '../../main/credentials/token-store'
import { UcwaClient } from '../../main/ucwa/client'
import { UcwaError } from '../../main/ucwa/errors'
import type { Simulator, SimulatorOptions } from '../simulator/index'
import { ROOT } from '../simulator/routes/discovery'
import { testCore } from '../support/core'
import { useTlsPools } from '../support/tls-pools'

const INTERNAL = 'lyncdiscoverinternal.contoso.test'
const EXTERNAL = 'lyncdiscover.contoso.test'

const pools = useTlsPools()
let sim: Simulator

async function pool(options: SimulatorOptions = {}): Promise<Simulator> {
  sim = await pools.start(options)
  return sim
}

/** host names the client opened connections to, in order, each once */
let dialed: string[] = []

function client(discoveryTimeoutMs = 10_000): UcwaClient {
  dialed = []
  const connectTo = (host: string, port: number) => {
    if (!dialed.includes(host)) dialed.push(host)
    return sim.connectTo(host, port)
  }
  const c = new UcwaClient({ tokenStore: new MemoryTokenStore(), endpointId: randomUUID(), connectTo, ca: pools.tls.ca, discoveryTimeoutMs })
  return pools.keep(c)
}

const signIn = (c: UcwaClient, sipAddress = 'alice@contoso.test', password = 'alice-pass') => c.signIn({ sipAddress, password, remember: false })
const failure = (c: UcwaClient, sipAddress?: string, password?: string) => signIn(c, sipAddress, password).then(() => expect.fail('signed in'), (e: unknown) => e as UcwaError)

describe('autodiscovery (RootURL.md)', () => {
  it('signs in through lyncdiscoverinternal.<domain> when it answers, and never asks the external name', async () => {
    await pool()
    const c = client()
    expect((await signIn(c)).name).toBe('Alice Ahlberg')
    expect(sim.control.discoveryAsked()).toEqual([INTERNAL])
    expect(c.poolOrigin).toBe(sim.pools[0]!.origin)
    expect(c.poolOrigin).toMatch(/^https:\/\/pool1\.contoso\.test:\d+$/)
  })

  it.each([
    ['refuses the connection', 'refused' as const, [EXTERNAL], undefined],
    ['takes the connection but never answers (3 s here)', 'silent' as const, [INTERNAL, EXTERNAL], 3000],
    ['answers 404', 'not-found' as const, [INTERNAL, EXTERNAL], undefined],
    ['redirects (302) to another domain', { status: 302 as const, location: 'https://lyncdiscover.fabrikam.test/' }, [INTERNAL, EXTERNAL], undefined],
  ])('when the internal name %s, lyncdiscover.<domain> is used', async (_what, mode, asked, timeoutMs) => {
    await pool()
    sim.control.setDiscovery('internal', mode)
    const c = client(timeoutMs)
    expect((await signIn(c)).name).toBe('Alice Ahlberg')
    expect(sim.control.discoveryAsked()).toEqual(asked)
    expect(dialed).toEqual([INTERNAL, EXTERNAL, 'pool1.contoso.test'])
    expect(sim.control.applications('alice@contoso.test')).toMatchObject([{ pool: 'pool1', available: true }])
  })

  it('when neither name answers: NetworkError naming both hosts', async () => {
    await pool()
    sim.control.setDiscovery('internal', 'refused')
    sim.control.setDiscovery('external', 'refused')
    const c = client()
    const e = await failure(c)
    expect(e).toBeInstanceOf(UcwaError)
    expect(e).toMatchObject({ status: 0, code: 'NetworkError', subcode: 'AutodiscoveryFailed', message: `${INTERNAL} and ${EXTERNAL} did not answer. Check your connection and the sign-in address.` })
    expect(e.debugInfo).toMatchObject({ step: 'root', hosts: `${INTERNAL}, ${EXTERNAL}` })
    expect(c.state).toBe('signed-out')
  })

  it('when one has no service and the other sends the sign-in away: each host and what it did', async () => {
    await pool()
    sim.control.setDiscovery('internal', 'not-found')
    sim.control.setDiscovery('external', { status: 302, location: 'https://lyncdiscover.fabrikam.test/' })
    const e = await failure(client())
    expect(e).toMatchObject({
      code: 'NotFound',
      subcode: 'AutodiscoveryFailed',
      message: `Parley could not find your server: ${INTERNAL} has no sign-in service (HTTP 404); ${EXTERNAL} sent the sign-in to lyncdiscover.fabrikam.test, outside your domain.`,
    })
  })

  it('follows a root whose only way on is a redirect link (step 5), within the domain', async () => {
    await pool()
    sim.control.setDiscovery('internal', { redirectLink: `${sim.pools[0]!.origin}${ROOT}` })
    const c = client()
    expect((await signIn(c)).name).toBe('Alice Ahlberg')
    expect(sim.control.discoveryAsked()).toEqual([INTERNAL])
    expect(c.poolOrigin).toBe(sim.pools[0]!.origin)
  })

  it('follows an HTTP redirect (302) within the domain like any hop', async () => {
    await pool()
    sim.control.setDiscovery('internal', { status: 302, location: `${sim.pools[0]!.origin}${ROOT}` })
    const c = client()
    expect((await signIn(c)).name).toBe('Alice Ahlberg')
    expect(sim.control.discoveryAsked()).toEqual([INTERNAL])
    expect(dialed).toEqual([INTERNAL, 'pool1.contoso.test'])
  })

  it('roots that redirect to each other stop with RedirectLoop', async () => {
    await pool()
    sim.control.setDiscovery('internal', { redirectLink: `https://${EXTERNAL}/` })
    sim.control.setDiscovery('external', { redirectLink: `https://${INTERNAL}/` })
    const e = await failure(client())
    expect(e).toMatchObject({ code: 'Conflict', subcode: 'RedirectLoop' })
    // MAX_REDIRECTS (4) hops after the first request, then no more
    expect(sim.control.discoveryAsked()).toEqual([INTERNAL, EXTERNAL, INTERNAL, EXTERNAL, INTERNAL])
  })

  it('a root redirect link to a foreign domain is DomainMismatch naming the host and the domain, and is not followed', async () => {
    await pool()
    sim.control.setDiscovery('internal', { redirectLink: 'https://autodiscover.fabrikam.test/root' })
    const e = await failure(client())
    expect(e).toMatchObject({
      status: 0,
      code: 'Forbidden',
      subcode: 'DomainMismatch',
      message: 'The server sent the sign-in to autodiscover.fabrikam.test, which is not contoso.test. Parley did not follow it.',
    })
    expect(e.debugInfo).toMatchObject({ host: 'autodiscover.fabrikam.test', domain: 'contoso.test', step: 'root' })
    expect(sim.control.discoveryAsked()).toEqual([INTERNAL])
  })

  it('a user redirect to a pool in a foreign domain is DomainMismatch; no password goes there', async () => {
    await pool({ poolHosts: { pool2: 'pool2.fabrikam.test' } })
    const e = await failure(client(), 'dave@contoso.test', 'dave-pass')
    expect(e).toMatchObject({ code: 'Forbidden', subcode: 'DomainMismatch', message: expect.stringContaining('pool2.fabrikam.test, which is not contoso.test') })
    expect(e.debugInfo).toMatchObject({ host: 'pool2.fabrikam.test', step: 'redirect' })
    expect(sim.control.applications('dave@contoso.test')).toEqual([])
  })

  it('a user redirect within the domain is followed over HTTPS to the home pool', async () => {
    await pool()
    const c = client()
    await signIn(c, 'dave@contoso.test', 'dave-pass')
    expect(c.poolOrigin).toBe(sim.pools[1]!.origin)
    expect(c.poolOrigin).toMatch(/^https:\/\/pool2\.contoso\.test:\d+$/)
  })

  it('the pool refusing the token request names the pool in what the person reads', async () => {
    await pool()
    sim.control.fault({ kind: 'fail', resource: 'oauthtoken', status: 503, code: 'ServiceUnavailable' })
    const core = await testCore({ ucwa: { connectTo: sim.connectTo, ca: pools.tls.ca } })
    try {
      const res = await core.dispatch('session.signIn', { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false })
      expect(res).toMatchObject({ ok: false, error: { kind: 'ucwa', code: 'ServiceFailure', status: 503 } })
      const message = (res as { error: { message: string } }).error.message
      // the form names the step too
      expect(message).toBe('Checking your password: pool1.contoso.test refused the sign-in (HTTP 503): The server had a problem. Try again in a moment.')
      expect(core.client.lastError?.debugInfo).toMatchObject({ step: 'token', host: 'pool1.contoso.test' })
    } finally {
      await core.close()
    }
  })

  it('what the person reads when no server answers names both hosts', async () => {
    await pool()
    sim.control.setDiscovery('internal', 'refused')
    sim.control.setDiscovery('external', 'refused')
    const core = await testCore({ ucwa: { connectTo: sim.connectTo, ca: pools.tls.ca } })
    try {
      const res = await core.dispatch('session.signIn', { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false })
      expect(res).toMatchObject({ ok: false, error: { kind: 'ucwa', code: 'NetworkError', subcode: 'AutodiscoveryFailed', message: `Finding your server: ${INTERNAL} and ${EXTERNAL} did not answer. Check your connection and the sign-in address.` } })
    } finally {
      await core.close()
    }
  })
})
