import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import * as v from 'valibot'
import { Settings } from '../../preload/contract'

export const defaultSettings: Settings = {
  theme: 'system',
  startWithMicrophoneOff: false,
  startWithCameraOff: false,
  closeToTray: true,
  cameraId: '',
  microphoneId: '',
  speakerId: '',
  incomingCallAlert: 'auto',
  startAtLogin: false,
  updateChannel: 'stable',
  trustedServers: {},
}

/** User settings in a JSON file; a damaged or older file falls back to defaults field by field. */
export class SettingsStore {
  #current: Settings = { ...defaultSettings }

  constructor(private readonly file: string | null) {}

  async load(): Promise<Settings> {
    if (!this.file) return this.current
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(this.file, 'utf8'))
    } catch {
      return this.current
    }
    const stored = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>
    this.#current = mergeValid(stored)
    return this.current
  }

  get current(): Settings {
    return { ...this.#current }
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    this.#current = { ...this.#current, ...patch }
    if (this.file) {
      await mkdir(dirname(this.file), { recursive: true })
      const tmp = `${this.file}.${process.pid}.tmp`
      await writeFile(tmp, JSON.stringify(this.#current, null, 2), { mode: 0o600 })
      await rename(tmp, this.file) // atomic: a crash never leaves half a file
    }
    return this.current
  }
}

function mergeValid(stored: Record<string, unknown>): Settings {
  const out: Record<string, unknown> = { ...defaultSettings }
  for (const [key, schema] of Object.entries(Settings.entries)) {
    const field = v.safeParse(schema, stored[key])
    if (field.success) out[key] = field.output
  }
  return out as Settings
}
