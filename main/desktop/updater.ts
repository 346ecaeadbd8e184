// Auto-update policy over electron-updater: check at start and every few hours, download in the
// background with progress, install on quit or "Restart now" — never in the middle of a call.
export type UpdateState = 'idle' | 'checking' | 'up-to-date' | 'available' | 'downloading' | 'ready' | 'deferred' | 'error'

export interface UpdateStatus {
  state: UpdateState
  version?: string
  percent?: number
  message?: string
}

/** The slice of electron-updater's AppUpdater this uses (so tests can give a fake, or the real DebUpdater). */
export interface UpdaterLike {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  allowPrerelease: boolean
  channel: string | null
  checkForUpdates(): Promise<unknown>
  downloadUpdate(): Promise<unknown>
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void
  on(event: 'update-available' | 'update-not-available' | 'download-progress' | 'update-downloaded' | 'error', listener: (arg: never) => void): unknown
}

export interface UpdateOptions {
  channel: 'stable' | 'beta'
  inCall(): boolean
  onStatus(status: UpdateStatus): void
  log(message: string): void
  intervalMs?: number
}

export class UpdateController {
  status: UpdateStatus = { state: 'idle' }
  #timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly updater: UpdaterLike,
    private readonly options: UpdateOptions,
  ) {
    updater.autoDownload = true // in the background
    updater.autoInstallOnAppQuit = true
    updater.allowPrerelease = options.channel === 'beta'
    updater.channel = options.channel === 'beta' ? 'beta' : 'latest'
    updater.on('update-available', ((info: { version: string }) => this.#set({ state: 'available', version: info.version })) as never)
    updater.on('update-not-available', (() => this.#set({ state: 'up-to-date' })) as never)
    updater.on('download-progress', ((p: { percent: number }) => this.#set({ ...this.status, state: 'downloading', percent: Math.round(p.percent) })) as never)
    updater.on('update-downloaded', ((info: { version: string }) => this.#set({ state: 'ready', version: info.version })) as never)
    updater.on('error', ((e: Error) => this.#quietError(e)) as never)
  }

  start(): void {
    void this.check()
    this.#timer = setInterval(() => void this.check(), this.options.intervalMs ?? 4 * 3600_000)
    this.#timer.unref?.()
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
  }

  async check(): Promise<UpdateStatus> {
    if (this.status.state === 'downloading' || this.status.state === 'ready') return this.status
    this.#set({ state: 'checking' })
    try {
      await this.updater.checkForUpdates()
    } catch (e) {
      this.#quietError(e as Error)
    }
    return this.status
  }

  /** "Restart now": refused while a call is on; the update then installs when Parley quits. */
  restartNow(): boolean {
    if (this.status.state !== 'ready' && this.status.state !== 'deferred') return false
    if (this.options.inCall()) {
      this.#set({ ...this.status, state: 'deferred', message: 'The update will install after your call.' })
      return false
    }
    this.updater.quitAndInstall(false, true)
    return true
  }

  #quietError(e: Error): void {
    // errors are logged and shown quietly: the app keeps working on the version it has
    this.options.log(`update check failed: ${e.message}`)
    this.#set({ state: 'error', message: 'Parley could not check for updates. It will try again later.' })
  }

  #set(status: UpdateStatus): void {
    this.status = status
    this.options.onStatus(status)
  }
}
