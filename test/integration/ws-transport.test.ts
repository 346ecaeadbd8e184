// The browser-mode transport over a real loopback socket, with the renderer's own client code.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Core } from '../../main/core/core'
import { startBrowserHost, type BrowserHost } from '../../main/transport/browser-host'
import { ApiError } from '../../preload/errors'
import { WS_PATH } from '../../preload/wire'
import { createApi } from '../../renderer/src/api/client'
import { createWsBridge } from '../../renderer/src/api/ws-bridge'
import { testCore } from '../support/core'

let core: Core
let host: BrowserHost
let key: string

/** ws with the page's Origin header, as a browser on the host's page would send */
function wsFrom(origin: string): typeof globalThis.WebSocket {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { origin })
    }
  } as unknown as typeof globalThis.WebSocket
}

beforeEach(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'parley-renderer-'))
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Parley</title>')
  core = await testCore({ clockIntervalMs: 10 })
  host = await startBrowserHost({ core, rendererDir: dir })
  key = new URLSearchParams(new URL(host.url).hash.slice(1)).get('key')!
})
afterEach(async () => {
  await host.close()
  await core.close()
})

describe('WebSocket transport', () => {
  it('carries calls and events with the same results as IPC', async () => {
    const api = createApi(createWsBridge(host.origin, key, wsFrom(host.origin)))
    expect(await api.invoke('app.getInfo')).toMatchObject({ name: 'Parley', version: '9.8.7-test', host: 'browser' })
    const settings = await api.invoke('settings.update', { theme: 'dark' })
    expect(settings.theme).toBe('dark')
    const tick = await new Promise<number>((resolve) => api.on('clock.tick', ({ now }) => resolve(now)))
    expect(tick).toBeGreaterThan(0)
  })

  it('rejects a wrong payload from the renderer with a typed ApiError', async () => {
    const api = createApi(createWsBridge(host.origin, key, wsFrom(host.origin)))
    const error = await api.invoke('settings.update', { theme: 'purple' } as never).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ kind: 'validation', code: 'ValidationFailed', issues: [{ path: 'theme' }] })
  })

  it('refuses a socket without the key or from another origin', async () => {
    for (const [origin, k] of [
      [host.origin, 'wrong-key'],
      ['http://evil.example', key],
    ] as const) {
      const api = createApi(createWsBridge(host.origin, k, wsFrom(origin)))
      await expect(api.invoke('app.getInfo')).rejects.toMatchObject({ kind: 'transport', code: 'Unreachable' })
    }
  })

  it('answers a malformed frame with a typed error and keeps serving', async () => {
    const socket = new WebSocket(`${host.origin.replace('http', 'ws')}${WS_PATH}?key=${key}`, { origin: host.origin })
    await new Promise((resolve) => socket.once('open', resolve))
    const replies: unknown[] = []
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString())
      if (frame.t === 'res') replies.push(frame)
    })
    socket.send(JSON.stringify({ t: 'req', id: 'one', method: 'app.getInfo' }))
    socket.send(JSON.stringify({ t: 'req', id: 2, method: 'app.getInfo' }))
    await expect.poll(() => replies.length).toBe(2)
    expect(replies[0]).toMatchObject({ id: -1, envelope: { ok: false, error: { kind: 'validation', code: 'BadFrame' } } })
    expect(replies[1]).toMatchObject({ id: 2, envelope: { ok: true } })
    socket.close()
  })

  it('serves the renderer with a Content-Security-Policy', async () => {
    const res = await fetch(`${host.origin}/index.html`)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain(host.origin.replace('http', 'ws'))
  })
})
