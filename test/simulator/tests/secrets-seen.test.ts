// The pools' record of where each secret went is for tests to read: a day-long run must not keep every header it received.
import Fastify from 'fastify'
import { expect, it } from 'vitest'
import { MAX_RECORDS, recordSecrets, type SecretSeen } from '../http/secrets-seen'
import { startSimulator } from '../index'
import { http, token } from './helpers'

it('the record of Authorization headers keeps the last MAX_RECORDS, the newest last (issue #24)', async () => {
  const server = Fastify()
  const seen: SecretSeen[] = Array.from({ length: MAX_RECORDS }, (_, i) => ({ pool: 'pool1', resource: 'me', authorization: `Bearer old-${i}` }))
  recordSecrets(server, { id: 'pool1', origin: '', port: 0 }, seen)
  server.get('/me', { config: { resource: 'me' } }, async () => 'ok')
  for (const n of [1, 2, 3]) expect((await server.inject({ url: '/me', headers: { authorization: `Bearer new-${n}` } })).statusCode).toBe(200)
  await server.close()
  expect(seen).toHaveLength(MAX_RECORDS)
  expect(seen[0]!.authorization).toBe('Bearer old-3')
  expect(seen.slice(-3).map((s) => s.authorization)).toEqual(['Bearer new-1', 'Bearer new-2', 'Bearer new-3'])
})

it('a simulator started with records: false keeps no record of requests or secrets (the soak measures the clients)', async () => {
  for (const records of [true, false]) {
    const sim = await startSimulator({ records })
    try {
      const user = sim.users.find((u) => u.sip === 'alice@contoso.test')!
      const tok = await token(sim.pools[0]!.origin, user.sip, user.password)
      expect((await http(`${sim.pools[0]!.origin}/ucwa/oauth/v1/applications`, { method: 'POST', token: tok, type: 'application/json', body: JSON.stringify({ UserAgent: 'T/1', EndpointId: 'e', Culture: 'en-US' }) })).status).toBe(201)
      expect(sim.control.requests().length > 0, `records: ${records}`).toBe(records)
      expect(sim.control.secretsSeen().length > 0, `records: ${records}`).toBe(records)
    } finally {
      await sim.close()
    }
  }
})
