// TokenRenewal against the simulator: 401 → the pool's own challenge, 403 → autodiscovery (and the UCWA URL it
// finds), a challenge naming another origin never gets the password, one renewal for refusals that come together.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Token } from '../../main/ucwa/auth'
import { UcwaHttp } from '../../main/ucwa/http'
import { TokenRenewal } from '../../main/ucwa/token-renewal'
import { startSimulator, type Simulator } from '../simulator/index'

vi.setConfig({ testTimeout: 30_000 })

let sim: Simulator
afterEach(() => sim?.close())

function renewal(remember = true) {
  const origin = sim.pools[0]!.origin
  const http = new UcwaHttp({ token: () => null, allowedOrigins: () => new Set([origin]), base: () => origin })
  const renewed: Array<{ token: Token; applicationsHref?: string }> = []
  const r = new TokenRenewal({
    http,
    credentials: () => ({ sipAddress: 'alice@contoso.test', password: 'alice-pass', discoveryUrl: sim.url, remember }),
    poolOrigin: () => origin,
    now: Date.now,
    renewed: async (token, applicationsHref) => void renewed.push({ token, applicationsHref }),
  })
  return { r, renewed, origin }
}

const count = (pool: string, resource: string) => sim.control.requests().filter((q) => q.pool === pool && q.resource === resource).length
const challenge = (origin: string) => [`MsRtcOAuth href="${origin}/WebTicket/oauthtoken",grant_type="urn:microsoft.rtc:windows,password"`, 'Bearer trusted_issuers=""']

describe('token renewal', () => {
  it('401: a password grant at the challenge the pool named, no autodiscovery', async () => {
    sim = await startSimulator()
    const { r, renewed, origin } = renewal()
    await r.renew({ status: 401, challenge: challenge(origin) })
    expect(renewed).toHaveLength(1)
    expect(renewed[0]!.token.accessToken).toMatch(/^cwt=/)
    expect(renewed[0]!.applicationsHref).toBeUndefined()
    expect(count('pool1', 'oauthtoken')).toBe(1)
    expect(count('pool1', 'root')).toBe(0)
  })

  it('403 InvalidToken: autodiscovery again, the token and the applications URL it found', async () => {
    sim = await startSimulator()
    const { r, renewed, origin } = renewal()
    await r.renew({ status: 403, challenge: challenge(origin) })
    expect(renewed).toEqual([{ token: expect.objectContaining({ accessToken: expect.stringMatching(/^cwt=/) }), applicationsHref: `${origin}/ucwa/oauth/v1/applications` }])
    expect(count('pool1', 'root')).toBe(1)
  })

  it('a 401 challenge naming another origin: the password is not sent there; autodiscovery instead', async () => {
    sim = await startSimulator()
    const { r, renewed } = renewal()
    await r.renew({ status: 401, challenge: challenge(sim.pools[1]!.origin) })
    expect(count('pool2', 'oauthtoken')).toBe(0)
    expect(count('pool1', 'root')).toBe(1)
    expect(renewed).toHaveLength(1)
  })

  it('refusals that come together share one renewal; nothing remembered is Unauthorized/SignInRequired', async () => {
    sim = await startSimulator()
    const { r, renewed, origin } = renewal()
    await Promise.all([r.renew({ status: 401, challenge: challenge(origin) }), r.renew({ status: 401, challenge: challenge(origin) }), r.renew({ status: 403 })])
    expect(renewed).toHaveLength(1)
    expect(count('pool1', 'oauthtoken')).toBe(1)
    const forgotten = renewal(false)
    await expect(forgotten.r.renew({ status: 403 })).rejects.toMatchObject({ status: 403, code: 'Unauthorized', subcode: 'SignInRequired' })
    expect(forgotten.renewed).toEqual([])
  })
})
