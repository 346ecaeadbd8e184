// Sandboxed preload: exposes only the bridge, never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron'
import { createIpcBridge } from './bridge'

contextBridge.exposeInMainWorld('parleyBridge', createIpcBridge(ipcRenderer))
