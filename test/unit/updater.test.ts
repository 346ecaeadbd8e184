// The update policy with electron-updater replaced at the boundary, then electron-updater's own check for real.
import { createHash, generateKeyPairSync } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { signUpdateInfoText } from '../../build/sign-update-info'
import { followUpdateChannel } from '../../main/desktop/update-channel'
import { UpdateController, type UpdateChannel, type UpdaterLike, type UpdateStatus } from '../../main/desktop/updater'
import { testCore } from '../support/core'

class FakeUpdater extends EventEmitter {
  autoDownload = false
  autoInstallOnAppQuit = false
  allowPrerelease = false
  allowDowngrade = false
  channel: string | null = null
  isUpdateSupported = (_info: unknown): boolean => true
  checks = 0
  installed = 0
  next: () => void = () => this.emit('update-not-available')
  async checkForUpdates() {
    this.checks++
    this.next()
  }
  async downloadUpdate() {}
  quitAndInstall() {
    this.installed++
  }
}

function controller(o: { inCall?: boolean; channel?: 'stable' | 'beta' } = {}) {
  const fake = new FakeUpdater()
  const statuses: UpdateStatus[] = []
  const logs: string[] = []
  let inCall = o.inCall ?? false
  const c = new UpdateController(fake as unknown as UpdaterLike, { channel: o.channel ?? 'stable', inCall: () => inCall, onStatus: (s) => statuses.push(s), log: (m) => logs.push(m) })
  return { fake, c, statuses, logs, setInCall: (v: boolean) => (inCall = v) }
}

describe('update policy', () => {
  it('downloads in the background, shows progress, and never installs during a call', async () => {
    const { fake, c, statuses, setInCall } = controller({ inCall: true })
    fake.next = () => {
      fake.emit('update-available', { version: '0.2.0' })
      fake.emit('download-progress', { percent: 42.4 })
      fake.emit('update-downloaded', { version: '0.2.0' })
    }
    await c.check()
    expect(fake.autoDownload).toBe(true)
    expect(statuses.map((s) => s.state)).toEqual(['checking', 'available', 'downloading', 'ready'])
    expect(statuses[2]).toMatchObject({ percent: 42 })
    expect(c.restartNow()).toBe(false)
    expect(c.status).toMatchObject({ state: 'deferred', message: 'The update will install after your call.' })
    expect(fake.installed).toBe(0)
    setInCall(false)
    expect(c.restartNow()).toBe(true)
    expect(fake.installed).toBe(1)
    expect(fake.autoInstallOnAppQuit).toBe(true) // otherwise on quit
  })

  it('beta channel allows prereleases; errors are quiet', async () => {
    const { fake, c, logs } = controller({ channel: 'beta' })
    expect(fake.channel).toBe('beta')
    expect(fake.allowPrerelease).toBe(true)
    fake.next = () => {
      throw new Error('getaddrinfo ENOTFOUND updates.parley.invalid')
    }
    expect(await c.check()).toMatchObject({ state: 'error', message: 'Parley could not check for updates. It will try again later.' })
    expect(logs[0]).toContain('ENOTFOUND')
    expect(controller().fake.channel).toBe('latest')
  })

  it('a channel change reaches electron-updater: beta reads beta*.yml, stable latest*.yml, never a downgrade; checks at once if started', async () => {
    const { fake, c } = controller()
    fake.allowDowngrade = true // what electron-updater's channel setter does
    c.setChannel('beta')
    expect([fake.channel, fake.allowPrerelease, fake.allowDowngrade, fake.checks]).toEqual(['beta', true, false, 0])
    c.start()
    expect(fake.checks).toBe(1)
    c.setChannel('beta') // no change, no check
    c.setChannel('stable')
    c.stop()
    expect([fake.channel, fake.allowPrerelease, fake.allowDowngrade, fake.checks]).toEqual(['latest', false, false, 2])
  })
})

/** A release key pair for the tests; the app ships its own public key (update-signature.ts). */
const release = generateKeyPairSync('ed25519')
const releaseKey = release.publicKey.export({ type: 'spki', format: 'pem' }) as string
const releasePrivate = release.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
const artifact = Buffer.from('!<arch>\nthe 0.2.0 package\n')
const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('base64')
const infoYml = (version = '0.2.0', hash = sha512(artifact)) =>
  `version: ${version}\nfiles:\n  - url: Parley-${version}-linux-amd64.deb\n    sha512: ${hash}\n    size: ${artifact.length}\npath: Parley-${version}-linux-amd64.deb\nsha512: ${hash}\nreleaseDate: '2026-11-20T00:00:00.000Z'\n`

/**
 * electron-updater's real DebUpdater (Electron replaced at the boundary only: the app adapter and a node:http
 * executor) against a local update server; `files` maps a path to what the server answers.
 */
async function realUpdater(files: Record<string, string | Buffer>, channel: UpdateChannel = 'stable') {
  const { DebUpdater } = await import('electron-updater')
  const { NodeHttpExecutor } = await import('builder-util')
  const { configureRequestOptions, configureRequestUrl } = await import('builder-util-runtime')
  /** electron-updater's ElectronHttpExecutor.download over node:http instead of Electron's net: the same doDownload, sha512 check included */
  class NodeDownloadExecutor extends NodeHttpExecutor {
    download(url: URL, destination: string, options: { headers?: Record<string, string>; cancellationToken: { createPromise<T>(f: (resolve: (v: T) => void, reject: (e: Error) => void, onCancel: unknown) => void): Promise<T> } }) {
      return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
        const requestOptions = { headers: options.headers }
        configureRequestUrl(url, requestOptions)
        configureRequestOptions(requestOptions)
        const callback = (error: Error | null) => (error ? reject(error) : resolve(destination))
        ;(this as unknown as { doDownload(o: unknown, d: unknown, redirects: number): void }).doDownload(requestOptions, { destination, options, onCancel, callback, responseHandler: null }, 0)
      })
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'parley-update-'))
  writeFileSync(join(dir, 'app-update.yml'), 'provider: generic\nurl: http://127.0.0.1/\nupdaterCacheDirName: parley-updater\n')
  const asked: string[] = []
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!
    asked.push(path)
    const body = files[path]
    if (body === undefined) return void res.writeHead(404).end()
    res.setHeader('content-type', path.endsWith('.yml') ? 'text/yaml' : 'application/octet-stream')
    res.end(body)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const app = { version: '0.1.0', name: 'Parley', isPackaged: true, appUpdateConfigPath: join(dir, 'app-update.yml'), userDataPath: dir, baseCachePath: dir, whenReady: async () => {}, relaunch() {}, quit() {}, onQuit() {} }
  const updater = new DebUpdater(undefined, app)
  ;(updater as unknown as { httpExecutor: unknown }).httpExecutor = new NodeDownloadExecutor()
  updater.logger = null
  updater.setFeedURL({ provider: 'generic', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })
  const statuses: UpdateStatus[] = []
  const logs: string[] = []
  const c = new UpdateController(updater as unknown as UpdaterLike, { channel, releaseKey, inCall: () => false, onStatus: (s) => statuses.push(s), log: (m) => logs.push(m) })
  onTestFinished(() => void server.close())
  return { updater, c, asked, statuses, logs, dir }
}

const refused = { state: 'error', message: 'Parley found an update that is not signed by its publisher and did not install it.' }

// a loaded shared machine: generous waits (each step is real HTTP and hashing)
describe('electron-updater’s real check and download (Electron replaced at the boundary only)', { timeout: 60_000 }, () => {
  it('downloads a release whose info is signed with the release key, checking the file against the signed sha512', async () => {
    // signed twice (a re-run of the release script): the later signature replaces the earlier one
    const yml = signUpdateInfoText(signUpdateInfoText(infoYml(), generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string), releasePrivate)
    expect(yml.match(/^signature: /gm)).toHaveLength(1)
    const { c, asked, statuses } = await realUpdater({ '/latest-linux.yml': yml, '/Parley-0.2.0-linux-amd64.deb': artifact })
    await c.check()
    await vi.waitFor(() => expect(c.status).toEqual({ state: 'ready', version: '0.2.0' }), { timeout: 45_000, interval: 50 })
    expect(asked).toEqual(['/latest-linux.yml', '/Parley-0.2.0-linux-amd64.deb'])
    expect(statuses.find((s) => s.state === 'available')).toEqual({ state: 'available', version: '0.2.0' })
  })

  it('refuses, before downloading anything, update info that is unsigned, signed by another key, or changed after signing', async () => {
    const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    const signed = signUpdateInfoText(infoYml(), releasePrivate)
    const forged = sha512(Buffer.from('something else'))
    for (const yml of [
      infoYml(), // unsigned
      signUpdateInfoText(infoYml(), other),
      signed.replaceAll(sha512(artifact), forged), // another file's checksum under the release's signature
      signed.replaceAll('0.2.0', '0.3.0'),
      signed.replace(/signature: .*/, 'signature: [1, 2]'),
      'version: 0.2.0\nsignature: x\n', // no files
    ]) {
      const { c, asked, logs } = await realUpdater({ '/latest-linux.yml': yml, '/Parley-0.2.0-linux-amd64.deb': artifact, '/Parley-0.3.0-linux-amd64.deb': artifact })
      expect(await c.check()).toEqual(refused)
      expect(asked).toEqual(['/latest-linux.yml'])
      expect(logs).toHaveLength(1)
      expect(logs[0]).toMatch(/^update check failed: The update info (carries no release signature|is not signed by Parley’s release key|is malformed)/)
    }
  })

  it('a server that swaps the file under signed info gets no install: the sha512 check fails', async () => {
    const { c, asked } = await realUpdater({ '/latest-linux.yml': signUpdateInfoText(infoYml(), releasePrivate), '/Parley-0.2.0-linux-amd64.deb': Buffer.from('!<arch>\nsomething else\n') })
    await c.check()
    await vi.waitFor(() => expect(c.status.state).toBe('error'), { timeout: 45_000, interval: 50 })
    expect(asked).toContain('/Parley-0.2.0-linux-amd64.deb')
    expect(c.status).toEqual({ state: 'error', message: 'Parley could not check for updates. It will try again later.' })
  })

  it('an older release, even signed, is not offered (no rollback)', async () => {
    const { c, asked } = await realUpdater({ '/latest-linux.yml': signUpdateInfoText(infoYml('0.0.9'), releasePrivate) })
    c.setChannel('beta')
    c.setChannel('stable') // electron-updater's channel setter allows downgrades; the controller turns that off again
    expect(await c.check()).toEqual({ state: 'up-to-date' })
    expect(asked).toEqual(['/latest-linux.yml'])
  })

  it('the Beta setting reaches the updater at start and when it changes: beta-linux.yml is fetched', async () => {
    const files = { '/latest-linux.yml': signUpdateInfoText(infoYml('0.0.9'), releasePrivate), '/beta-linux.yml': signUpdateInfoText(infoYml('0.0.8'), releasePrivate) }
    // a person who chose Beta earlier: the stored setting applies before the first check
    const settingsFile = join(mkdtempSync(join(tmpdir(), 'parley-settings-')), 'settings.json')
    writeFileSync(settingsFile, JSON.stringify({ updateChannel: 'beta' }))
    const betaCore = await testCore({ settingsFile })
    onTestFinished(() => betaCore.close())
    const atStart = await realUpdater(files)
    await followUpdateChannel(betaCore, atStart.c)
    await atStart.c.check()
    expect(atStart.asked).toEqual(['/beta-linux.yml'])

    // changing the setting in the app
    const core = await testCore()
    onTestFinished(() => core.close())
    const changed = await realUpdater(files)
    const stop = await followUpdateChannel(core, changed.c)
    await changed.c.check()
    expect(await core.dispatch('settings.update', { updateChannel: 'beta' })).toMatchObject({ ok: true })
    await changed.c.check()
    await core.dispatch('settings.update', { updateChannel: 'stable' })
    await changed.c.check()
    stop()
    await core.dispatch('settings.update', { updateChannel: 'beta' })
    await changed.c.check()
    expect(changed.asked).toEqual(['/latest-linux.yml', '/beta-linux.yml', '/latest-linux.yml', '/latest-linux.yml'])
  })
})
