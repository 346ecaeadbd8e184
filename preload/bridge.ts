import { IPC_EVENT, IPC_INVOKE, isRequestName } from './contract'
import type { RawBridge } from './api-types'
import type { Envelope } from './errors'

/** The slice of ipcRenderer the bridge uses, so it can be tested without Electron. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

export function createIpcBridge(ipc: IpcRendererLike): RawBridge {
  return {
    async invoke(method, input) {
      // unknown channels never reach main; main validates the rest
      if (!isRequestName(method)) {
        return { ok: false, error: { kind: 'unknown-method', code: 'UnknownMethod', message: `Unknown method: ${String(method)}` } }
      }
      return (await ipc.invoke(IPC_INVOKE, method, input)) as Envelope
    },
    subscribe(listener) {
      // never hand the IpcRendererEvent (and its sender) to the page
      const onEvent = (_event: unknown, name: unknown, payload: unknown): void => listener(String(name), payload)
      ipc.on(IPC_EVENT, onEvent as (event: unknown, ...args: unknown[]) => void)
      return () => void ipc.removeListener(IPC_EVENT, onEvent as (event: unknown, ...args: unknown[]) => void)
    },
  }
}
