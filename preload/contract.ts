// The one declaration of the renderer <-> main API: both transports and both sides derive from it.
import * as v from 'valibot'

export const Theme = v.picklist(['system', 'light', 'dark'])

export const Settings = v.strictObject({
  theme: Theme,
  startWithMicrophoneOff: v.boolean(),
  startWithCameraOff: v.boolean(),
  closeToTray: v.boolean(),
})
export type Settings = v.InferOutput<typeof Settings>

export const SettingsPatch = v.partial(Settings)

export const KeychainStatus = v.object({
  available: v.boolean(),
  // why the token is kept in memory only, shown to the user
  reason: v.optional(v.string()),
})

export const DemoPool = v.object({
  discoveryUrl: v.string(),
  // made-up demo accounts of the embedded simulator, shown so a person can try the app
  users: v.array(v.object({ sip: v.string(), name: v.string(), password: v.string() })),
})
export type DemoPool = v.InferOutput<typeof DemoPool>

export const AppInfo = v.object({
  name: v.string(),
  version: v.string(),
  host: v.picklist(['electron', 'browser']),
  keychain: KeychainStatus,
  /** set when no server is configured and the embedded simulator runs */
  demo: v.nullable(DemoPool),
})
export type AppInfo = v.InferOutput<typeof AppInfo>

const NoInput = v.optional(v.strictObject({}))

export const contract = {
  requests: {
    'app.getInfo': { input: NoInput, output: AppInfo },
    'settings.get': { input: NoInput, output: Settings },
    'settings.update': { input: SettingsPatch, output: Settings },
  },
  events: {
    'clock.tick': v.object({ now: v.number() }),
    'settings.changed': Settings,
  },
} as const

export type Contract = typeof contract
export type RequestName = keyof Contract['requests']
export type EventName = keyof Contract['events']
export type RequestInput<K extends RequestName> = v.InferInput<Contract['requests'][K]['input']>
export type ParsedInput<K extends RequestName> = v.InferOutput<Contract['requests'][K]['input']>
export type RequestOutput<K extends RequestName> = v.InferOutput<Contract['requests'][K]['output']>
export type EventPayload<K extends EventName> = v.InferOutput<Contract['events'][K]>

export const requestNames = Object.keys(contract.requests) as RequestName[]
export const eventNames = Object.keys(contract.events) as EventName[]

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(contract.requests, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(contract.events, name)
}

// Electron IPC channels; the WebSocket transport frames the same calls (see wire.ts).
export const IPC_INVOKE = 'parley:invoke'
export const IPC_EVENT = 'parley:event'
