// ipcMain wiring of the contract: the Electron twin of the WebSocket transport.
import { IPC_EVENT, IPC_INVOKE } from '../../preload/contract'
import type { Core } from '../core/core'
import { isAppUrl } from './security'

export interface IpcMainLike {
  handle(channel: string, listener: (event: { senderFrame: { url: string } | null }, ...args: unknown[]) => unknown): void
  removeHandler(channel: string): void
}

export interface RendererTarget {
  isDestroyed(): boolean
  send(channel: string, ...args: unknown[]): void
}

/** Every window of the app (main and incoming-call) gets the events; calls from any of them go to the core. */
export function wireIpc(ipcMain: IpcMainLike, core: Core, targets: () => RendererTarget[]): () => void {
  ipcMain.handle(IPC_INVOKE, (event, method, input) => {
    // only our own page may call in (a stray frame or navigated page gets nothing)
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) {
      return { ok: false, error: { kind: 'validation', code: 'ForbiddenSender', message: 'Calls are accepted from the app page only' } }
    }
    return core.dispatch(method, input)
  })
  const unsubscribe = core.events.subscribe((name, payload) => {
    for (const wc of targets()) if (!wc.isDestroyed()) wc.send(IPC_EVENT, name, payload)
  })
  return () => {
    unsubscribe()
    ipcMain.removeHandler(IPC_INVOKE)
  }
}
