// What Parley remembers between runs about the session: no secret (the token is in the keychain).
import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { SavedSession } from '../ucwa/client'

interface Memory {
  endpointId: string
  session: SavedSession | null
}

export class SessionMemory {
  #memory: Memory = { endpointId: randomUUID(), session: null }

  constructor(private readonly file: string | null) {}

  async load(): Promise<Memory> {
    if (this.file) {
      try {
        const raw = JSON.parse(await readFile(this.file, 'utf8')) as Partial<Memory>
        if (typeof raw.endpointId === 'string') this.#memory.endpointId = raw.endpointId
        if (raw.session && typeof raw.session.sipAddress === 'string' && typeof raw.session.poolOrigin === 'string') this.#memory.session = raw.session
      } catch {
        await this.#save() // first run: keep the endpoint id stable from now on
      }
    }
    return this.#memory
  }

  get endpointId(): string {
    return this.#memory.endpointId
  }

  get session(): SavedSession | null {
    return this.#memory.session
  }

  async setSession(session: SavedSession | null): Promise<void> {
    this.#memory.session = session
    await this.#save()
  }

  async #save(): Promise<void> {
    if (!this.file) return
    await mkdir(dirname(this.file), { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    await writeFile(tmp, JSON.stringify(this.#memory, null, 2), { mode: 0o600 })
    await rename(tmp, this.file)
  }
}
