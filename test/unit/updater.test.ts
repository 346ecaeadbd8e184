// The update policy with electron-updater replaced at the boundary, then electron-updater's own check for real.
import { EventEmitter } from 'node:events'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UpdateController, type UpdaterLike, type UpdateStatus } from '../../main/desktop/updater'

class FakeUpdater extends EventEmitter {
  autoDownload = false
  autoInstallOnAppQuit = false
  allowPrerelease = false
  channel: string | null = null
  installed = 0
  next: () => void = () => this.emit('update-not-available')
  async checkForUpdates() {
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
})

describe('electron-updater’s real check (electron replaced at the boundary only)', () => {
  it('finds the newer version in a latest-linux.yml served locally', async () => {
    const { DebUpdater } = await import('electron-updater')
    const { NodeHttpExecutor } = await import('builder-util')
    const dir = mkdtempSync(join(tmpdir(), 'parley-update-'))
    writeFileSync(join(dir, 'app-update.yml'), 'provider: generic\nurl: http://127.0.0.1/\n')
    const asked: string[] = []
    const server = createServer((req, res) => {
      asked.push(req.url ?? '')
      res.setHeader('content-type', 'text/yaml')
      res.end("version: 0.2.0\nfiles:\n  - url: Parley-0.2.0-linux-amd64.deb\n    sha512: abc\n    size: 10\npath: Parley-0.2.0-linux-amd64.deb\nsha512: abc\nreleaseDate: '2026-11-20T00:00:00.000Z'\n")
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const app = { version: '0.1.0', name: 'Parley', isPackaged: true, appUpdateConfigPath: join(dir, 'app-update.yml'), userDataPath: dir, baseCachePath: dir, whenReady: async () => {}, relaunch() {}, quit() {}, onQuit() {} }
    const updater = new DebUpdater(undefined, app)
    ;(updater as unknown as { httpExecutor: unknown }).httpExecutor = new NodeHttpExecutor()
    updater.logger = null
    updater.setFeedURL({ provider: 'generic', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })
    const statuses: UpdateStatus[] = []
    const c = new UpdateController(updater as unknown as UpdaterLike, { channel: 'stable', inCall: () => false, onStatus: (s) => statuses.push(s), log: () => {} })
    updater.autoDownload = false // the test serves no package
    await c.check()
    server.close()
    expect(asked[0]).toMatch(/^\/latest-linux\.yml/)
    expect(statuses.find((s) => s.state === 'available')).toEqual({ state: 'available', version: '0.2.0' })
  })
})
