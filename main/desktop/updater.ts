// Auto-update policy over electron-updater: check at start and every few hours on the person's channel,
// download in the background with progress, install on quit or "Restart now" — never in the middle of a call.
//
// What proves an update is Parley's, per platform:
// - everywhere: the update info (version, each artifact's sha512) must carry a valid signature by Parley's
//   release key, shipped in the app (update-signature.ts); it is checked before anything is downloaded, and
//   electron-updater checks the downloaded file (full or differential) against that sha512. The server alone
//   can no longer choose what is installed. An older release is refused (allowDowngrade off).
// - Windows, in addition: electron-updater's NsisUpdater checks the installer's Authenticode signature against
//   the publisher pinned in electron-builder.yml (win.signtoolOptions.publisherName, written to app-update.yml).
// - macOS, in addition: Squirrel.Mac installs only an app that satisfies the running app's code-signing
//   designated requirement (same Developer ID team).
// - Linux (AppImage, deb): the release signature is the only publisher check; electron-updater checks no
//   signature of its own there.
// Not covered: a stolen release key; a server that withholds updates (freeze) goes unnoticed.
import type { UpdateStatus } from '../../preload/contract'
import { RELEASE_PUBLIC_KEY, UpdateSignatureError, verifyUpdateInfo } from './update-signature'

// the update status is the contract's (preload/contract.ts UpdateStatus), declared once there
export type { UpdateStatus } from '../../preload/contract'
export type UpdateState = UpdateStatus['state']

/** The slice of electron-updater's AppUpdater this uses (so tests can give a fake, or the real DebUpdater). */
export interface UpdaterLike {
  autoDownload: boolean
  autoInstallOnAppQuit: boolean
  allowPrerelease: boolean
  allowDowngrade: boolean
  channel: string | null
  /** electron-updater's hook, asked with the parsed latest*.yml before an update is offered or downloaded */
  isUpdateSupported: (info: never) => boolean | Promise<boolean>
  checkForUpdates(): Promise<unknown>
  downloadUpdate(): Promise<unknown>
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void
  on(event: 'update-available' | 'update-not-available' | 'download-progress' | 'update-downloaded' | 'error', listener: (arg: never) => void): unknown
}

export type UpdateChannel = 'stable' | 'beta'

export interface UpdateOptions {
  /** the channel to start on (settings.updateChannel); setChannel changes it */
  channel: UpdateChannel
  /** the release public key (Ed25519 PEM); tests give their own */
  releaseKey?: string
  inCall(): boolean
  onStatus(status: UpdateStatus): void
  log(message: string): void
  intervalMs?: number
}

export class UpdateController {
  status: UpdateStatus = { state: 'idle' }
  #timer: ReturnType<typeof setInterval> | null = null
  #channel: UpdateChannel | null = null

  constructor(
    private readonly updater: UpdaterLike,
    private readonly options: UpdateOptions,
  ) {
    updater.autoDownload = true // in the background
    updater.autoInstallOnAppQuit = true
    this.#apply(options.channel)
    const platformCheck = updater.isUpdateSupported // electron-updater's own (minimum OS version)
    updater.isUpdateSupported = (info: never) => {
      verifyUpdateInfo(info, options.releaseKey ?? RELEASE_PUBLIC_KEY) // throws: the check fails, nothing is downloaded
      return platformCheck(info)
    }
    updater.on('update-available', ((info: { version: string }) => this.#set({ state: 'available', version: info.version })) as never)
    updater.on('update-not-available', (() => this.#set({ state: 'up-to-date' })) as never)
    updater.on('download-progress', ((p: { percent: number }) => this.#set({ ...this.status, state: 'downloading', percent: Math.round(p.percent) })) as never)
    updater.on('update-downloaded', ((info: { version: string }) => this.#set({ state: 'ready', version: info.version })) as never)
    updater.on('error', ((e: Error) => this.#quietError(e)) as never)
  }

  get channel(): UpdateChannel {
    return this.#channel!
  }

  /** The person chose another channel: the next check reads it (beta: beta*.yml), and one runs now if started. */
  setChannel(channel: UpdateChannel): void {
    if (channel === this.#channel) return
    this.#apply(channel)
    if (this.#timer) void this.check()
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
      const result = (await this.updater.checkForUpdates()) as { downloadPromise?: Promise<unknown> | null } | null
      // a failed background download also arrives as 'error': handled there, not an unhandled rejection in main
      result?.downloadPromise?.catch(() => {})
    } catch (e) {
      if (this.status.state !== 'error') this.#quietError(e as Error) // electron-updater also emits it as 'error'
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

  #apply(channel: UpdateChannel): void {
    this.#channel = channel
    this.updater.allowPrerelease = channel === 'beta'
    this.updater.channel = channel === 'beta' ? 'beta' : 'latest' // electron-updater: <channel>[-mac|-linux].yml
    this.updater.allowDowngrade = false // setting channel turned it on; an older (even signed) release is refused
  }

  #quietError(e: Error): void {
    // errors are logged and shown quietly: the app keeps working on the version it has
    this.options.log(`update check failed: ${e.message}`)
    const refused = e instanceof UpdateSignatureError || (e as { code?: string }).code === 'ERR_UPDATE_SIGNATURE'
    this.#set({ state: 'error', message: refused ? 'Parley found an update that is not signed by its publisher and did not install it.' : 'Parley could not check for updates. It will try again later.' })
  }

  #set(status: UpdateStatus): void {
    this.status = status
    this.options.onStatus(status)
  }
}
