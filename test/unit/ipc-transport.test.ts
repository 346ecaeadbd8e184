// The Electron transport end to end, with ipcMain/ipcRenderer replaced by a typed in-memory pair.
import { describe, expect, it } from 'vitest'
import { wireIpc, type IpcMainLike, type RendererTarget } from '../../main/desktop/ipc'
import { createIpcBridge, type IpcRendererLike } from '../../preload/bridge'
import { ApiError } from '../../preload/errors'
import { createApi } from '../../renderer/src/api/client'
import { testCore } from '../support/core'

type Listener = (event: unknown, ...args: unknown[]) => void

function fakeIpc(senderUrl: string) {
  const handlers = new Map<string, (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown>()
  const rendererListeners = new Map<string, Set<Listener>>()
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  }
  const ipcRenderer: IpcRendererLike = {
    // structuredClone: what crosses Electron IPC is a copy, never a shared object
    invoke: async (channel, ...args) => structuredClone(await handlers.get(channel)!({ senderFrame: { url: senderUrl } }, ...structuredClone(args))),
    on: (channel, listener) => {
      const set = rendererListeners.get(channel) ?? new Set()
      rendererListeners.set(channel, set.add(listener))
    },
    removeListener: (channel, listener) => rendererListeners.get(channel)?.delete(listener),
  }
  const webContents: RendererTarget = {
    isDestroyed: () => false,
    send: (channel, ...args) => rendererListeners.get(channel)?.forEach((l) => l({ sender: 'hidden' }, ...structuredClone(args))),
  }
  return { ipcMain, ipcRenderer, webContents, handlers }
}

describe('Electron IPC transport', () => {
  it('carries calls and events between the preload bridge and the core', async () => {
    const core = await testCore({ clockIntervalMs: 10 })
    const ipc = fakeIpc('app://parley/index.html')
    wireIpc(ipc.ipcMain, core, () => [ipc.webContents])
    const api = createApi(createIpcBridge(ipc.ipcRenderer))
    expect((await api.invoke('app.getInfo')).version).toBe('9.8.7-test')
    const tick = await new Promise<number>((resolve) => api.on('clock.tick', ({ now }) => resolve(now)))
    expect(tick).toBeGreaterThan(0)
    await core.close()
  })

  it('rejects a wrong payload from the renderer with a typed ApiError', async () => {
    const core = await testCore()
    const ipc = fakeIpc('app://parley/index.html')
    wireIpc(ipc.ipcMain, core, () => [ipc.webContents])
    const api = createApi(createIpcBridge(ipc.ipcRenderer))
    const error = await api.invoke('settings.update', { theme: 'purple' } as never).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ kind: 'validation', code: 'ValidationFailed', issues: [{ path: 'theme' }] })
    await core.close()
  })

  it('refuses calls from any page but the app, and unknown channels never reach main', async () => {
    const core = await testCore()
    const ipc = fakeIpc('https://evil.example/')
    wireIpc(ipc.ipcMain, core, () => [ipc.webContents])
    const bridge = createIpcBridge(ipc.ipcRenderer)
    expect(await bridge.invoke('settings.get', undefined)).toMatchObject({ ok: false, error: { code: 'ForbiddenSender' } })
    expect(await bridge.invoke('shell.openExternal', 'x')).toMatchObject({ ok: false, error: { kind: 'unknown-method' } })
    await core.close()
  })

  it('the page never receives the IPC event object', async () => {
    const core = await testCore()
    const ipc = fakeIpc('app://parley/index.html')
    wireIpc(ipc.ipcMain, core, () => [ipc.webContents])
    const seen: unknown[][] = []
    createIpcBridge(ipc.ipcRenderer).subscribe((...args) => seen.push(args))
    await createApi(createIpcBridge(ipc.ipcRenderer)).invoke('settings.update', { closeToTray: false })
    expect(seen[0]?.[0]).toBe('settings.changed')
    expect(JSON.stringify(seen)).not.toContain('hidden')
    await core.close()
  })
})
