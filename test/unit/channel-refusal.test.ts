// The loop's decisions on a refused token and on a lost application, with a scripted pool: which 403 is a token
// matter, one renewal per refusal, a renewal that cannot reach the pool retried later, a new application refused.
import { describe, expect, it } from 'vitest'
import { UcwaError } from '../../main/ucwa/errors'
import { EventChannelLoop } from '../../main/ucwa/event-channel'
import { eventsFromJson } from '../../main/ucwa/events'
import type { HttpResult, UcwaHttp } from '../../main/ucwa/http'
import { refusalOf, type Refusal } from '../../main/ucwa/token-refusal'

type Step = { status: number; body?: unknown; headers?: Record<string, string | string[]> }

const challenge = ['Bearer trusted_issuers=""', 'MsRtcOAuth href="https://pool.test/WebTicket/oauthtoken",grant_type="password"']
const invalidToken: Step = { status: 403, headers: { 'www-authenticate': challenge, warning: '1 pool.test "InvalidToken"' }, body: '<html>403</html>' }
const page = (ack: number) => ({ status: 200, body: { _links: { self: { href: `/e?ack=${ack}` }, next: { href: `/e?ack=${ack + 1}` } }, sender: [] } })
const replaced: Step = { status: 409, body: { code: 'Conflict', subcode: 'PGetReplaced' } }

function scripted(steps: Step[]) {
  const asked: string[] = []
  const http = {
    async send(href: string) {
      asked.push(href)
      const step = steps.shift() ?? replaced
      const json = typeof step.body !== 'string'
      return { status: step.status, headers: { 'content-type': json ? 'application/json' : 'text/html', ...step.headers }, body: json ? JSON.stringify(step.body ?? {}) : step.body, url: href } as HttpResult
    },
    parseEvents: (res: HttpResult) => eventsFromJson(JSON.parse(res.body)),
    errorBody: (res: HttpResult) => (String(res.headers['content-type']).includes('json') ? JSON.parse(res.body) : null),
  } as unknown as UcwaHttp
  return { http, asked }
}

function loop(http: UcwaHttp, o: { reauthenticate?: (r: Refusal) => Promise<void>; recover?: () => Promise<string> } = {}) {
  const renewals: Refusal[] = []
  const l = new EventChannelLoop(
    http,
    {
      onEvents: () => {},
      onTransientStateLost: () => {},
      recover: o.recover ?? (async () => '/apps/2/e?ack=1'),
      reauthenticate: async (r) => (renewals.push(r), o.reauthenticate?.(r)),
      onReplaced: () => {},
    },
    { random: () => 0, sleep: async () => {} },
  )
  return { l, renewals }
}

describe('refused tokens on the event channel (unit)', () => {
  it('a 403 is a token matter only with a challenge or a Warning naming InvalidToken', () => {
    const res = (status: number, headers: Record<string, string | string[]> = {}) => ({ status, headers })
    expect(refusalOf(res(401))).toEqual({ status: 401, challenge: undefined })
    expect(refusalOf(res(403, { warning: '1 pool.test "InvalidToken"' }))).toMatchObject({ status: 403 })
    expect(refusalOf(res(403, { 'www-authenticate': challenge }))).toEqual({ status: 403, challenge })
    expect(refusalOf(res(403))).toBeNull() // Forbidden for what was asked (makeMeAvailable2_ref.md): not the token's fault
    expect(refusalOf(res(404, { 'www-authenticate': challenge }))).toBeNull()
  })

  it('403 InvalidToken: one renewal, then the channel goes on at the same URL', async () => {
    const { http, asked } = scripted([invalidToken, page(3), replaced])
    const { l, renewals } = loop(http)
    await l.run('/e?ack=3')
    expect(renewals).toEqual([{ status: 403, challenge }])
    expect(asked).toEqual(['/e?ack=3', '/e?ack=3', '/e?ack=4'])
  })

  it('refused again after the renewal: the loop ends with Unauthorized/TokenRefused, asking nothing more', async () => {
    const { http, asked } = scripted([invalidToken, invalidToken, page(3)])
    const { l, renewals } = loop(http)
    await expect(l.run('/e?ack=3')).rejects.toMatchObject({ status: 403, code: 'Unauthorized', subcode: 'TokenRefused' })
    expect(renewals).toHaveLength(1)
    expect(asked).toHaveLength(2)
    expect(l.state).toBe('stopped')
  })

  it('a page between two refusals: each refusal gets its own renewal', async () => {
    const { http } = scripted([{ status: 401, headers: { 'www-authenticate': challenge } }, page(3), { status: 401, headers: { 'www-authenticate': challenge } }, page(4), replaced])
    const { l, renewals } = loop(http)
    await l.run('/e?ack=3')
    expect(renewals.map((r) => r.status)).toEqual([401, 401])
  })

  it('a renewal that cannot reach the pool backs off and renews again; a refused renewal ends the loop', async () => {
    let attempts = 0
    const network = new UcwaError({ status: 0, code: 'NetworkError', message: 'x' })
    const first = scripted([invalidToken, invalidToken, page(3), replaced])
    const a = loop(first.http, {
      reauthenticate: async () => {
        if (attempts++ === 0) throw network
      },
    })
    await a.l.run('/e?ack=3')
    expect(a.renewals).toHaveLength(2)
    expect(a.l.state).toBe('replaced')

    const second = scripted([invalidToken, page(3)])
    const grant = new UcwaError({ status: 400, code: 'InvalidGrant', message: 'x' })
    const b = loop(second.http, { reauthenticate: async () => Promise.reject(grant) })
    await expect(b.l.run('/e?ack=3')).rejects.toBe(grant)
    expect(second.asked).toHaveLength(1)
  })

  it('a plain 403 (no challenge) is backed off like any failure, never a renewal', async () => {
    const { http, asked } = scripted([{ status: 403, body: { code: 'Forbidden' } }, page(3), replaced])
    const { l, renewals } = loop(http)
    await l.run('/e?ack=3')
    expect(renewals).toEqual([])
    expect(asked).toEqual(['/e?ack=3', '/e?ack=3', '/e?ack=4'])
  })

  it('an application the pool will not recreate (4xx) ends the loop with its error; a 5xx is retried', async () => {
    const gone = new UcwaError({ status: 410, code: 'Gone', subcode: 'CannotRedirect', message: 'x' })
    const lost = { status: 404, body: { code: 'NotFound', subcode: 'ApplicationNotFound' } }
    const first = scripted([lost])
    const a = loop(first.http, { recover: async () => Promise.reject(gone) })
    await expect(a.l.run('/apps/1/e?ack=3')).rejects.toBe(gone)
    expect(first.asked).toHaveLength(1)

    let tries = 0
    const busy = new UcwaError({ status: 503, code: 'ServiceUnavailable', message: 'x' })
    const second = scripted([lost, lost, page(1), replaced])
    const b = loop(second.http, { recover: async () => (tries++ === 0 ? Promise.reject(busy) : '/apps/2/e?ack=1') })
    await b.l.run('/apps/1/e?ack=3')
    expect(tries).toBe(2)
    expect(b.l.state).toBe('replaced')
  })
})
