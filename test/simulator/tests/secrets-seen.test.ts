// The pools' record of where each secret went is for tests to read: a day-long run must not keep every header it received.
import Fastify from 'fastify'
import { expect, it } from 'vitest'
import { MAX_RECORDS, recordSecrets, type SecretSeen } from '../http/secrets-seen'

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
