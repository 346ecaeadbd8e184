import type { ParleyApi, RawBridge } from '../../../preload/api-types'
import { createApi } from './client'
import { createWsBridge } from './ws-bridge'

declare global {
  interface Window {
    parleyBridge?: RawBridge
  }
}

/** Electron's preload bridge when present, else the browser mode's WebSocket (key from the URL fragment). */
export function connectApi(): ParleyApi {
  if (window.parleyBridge) return createApi(window.parleyBridge)
  const key = new URLSearchParams(location.hash.slice(1)).get('key') ?? ''
  return createApi(createWsBridge(location.origin, key))
}
