// The setup shared by tests against the simulator serving HTTPS under named hosts (lyncdiscover.contoso.test, pool1…):
// one throwaway CA per file; after each test its clients signed out, then its simulators and other servers closed.
import { afterEach, beforeAll } from 'vitest'
import type { UcwaClient } from '../../main/ucwa/client'
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/index'
import { makeTestTls, type TestTls } from './test-tls'

export interface TlsPools {
  /** the CA the clients trust and the pool's key and certificate (valid for the domain and *.domain); set in beforeAll */
  readonly tls: TestTls
  /** a simulator serving HTTPS with `tls`, closed after the test */
  start(options?: SimulatorOptions): Promise<Simulator>
  /** `client`, signed out after the test (before the servers close) */
  keep(client: UcwaClient): UcwaClient
  /** `server` (a plain-http simulator, a secret catcher…), closed after the test in the order given */
  closeAfter<T extends { close(): Promise<void> }>(server: T): T
}

/** Registers the hooks (call at a test file's top level) and returns the handle; `domain` as makeTestTls takes it. */
export function useTlsPools(domain = 'contoso.test'): TlsPools {
  let tls: TestTls | undefined
  const clients: UcwaClient[] = []
  const servers: { close(): Promise<void> }[] = []
  beforeAll(() => {
    tls = makeTestTls(domain)
  })
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.signOut().catch(() => {})))
    for (const s of servers.splice(0)) await s.close()
  })
  const pools: TlsPools = {
    get tls() {
      if (!tls) throw new Error('useTlsPools: tls is made in beforeAll')
      return tls
    },
    start: async (options = {}) => pools.closeAfter(await startSimulator({ tls: { key: pools.tls.key, cert: pools.tls.cert }, ...options })),
    keep: (client) => {
      clients.push(client)
      return client
    },
    closeAfter: (server) => {
      servers.push(server)
      return server
    },
  }
  return pools
}
