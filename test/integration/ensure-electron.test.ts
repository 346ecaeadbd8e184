// `npm start` on a fresh machine: build/ensure-electron.mjs fetches the Electron binary through @electron/get
// before electron-vite starts, or says in one paragraph why not. Runs in the test network namespace (no route out).
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { networkInterfaces, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storedZip } from '../support/zip'

const root = resolve(import.meta.dirname, '../..')
const electronPkg = join(root, 'node_modules/electron')
const { version } = JSON.parse(await readFile(join(electronPkg, 'package.json'), 'utf8')) as { version: string }
const archive = `electron-v${version}-linux-x64.zip`
// a stand-in for Electron's archive: the files install.js's isInstalled() checks, and an executable that says what it is
const standIn = storedZip([
  { path: 'electron', data: '#!/bin/sh\necho stand-in electron "$@"\n', mode: 0o755 },
  { path: 'version', data: version },
  { path: 'LICENSE', data: 'stand-in' },
])
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex')
const WAIT_MS = 60_000 // npm and node starting on a loaded 2-core machine

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  // the settings that steer @electron/get come only from the test, never from the machine running it
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(electron_|ELECTRON_|npm_config_electron|force_no_cache)/i.test(k)))
  const child = spawn(command, args, { cwd: root, env: { ...inherited, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d))
  child.stderr.on('data', (d: Buffer) => (stderr += d))
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })))
}

/** A copy of the electron package with no binary, for the script to install into (the real one stays untouched). */
async function electronCopy(checksums?: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-electron-'))
  for (const f of ['package.json', 'checksums.json', 'install.js', 'index.js', 'cli.js']) await cp(join(electronPkg, f), join(dir, f))
  if (checksums) await writeFile(join(dir, 'checksums.json'), JSON.stringify(checksums))
  return dir
}

describe('npm start on a fresh machine', () => {
  it('with no route to the download host, prints one paragraph (what failed, the mirror and cache settings, start:browser) and exits non-zero', async () => {
    // only loopback here (npm test and /work/tools/vt run vitest in a network namespace of its own): with a
    // route out this would fetch the real Electron
    expect(Object.keys(networkInterfaces()), 'run through npm test: it needs the test network namespace').toEqual(['lo'])
    const dir = await electronCopy()
    const cache = await mkdtemp(join(tmpdir(), 'parley-electron-cache-'))
    const result = await run('npm', ['start'], { PARLEY_ELECTRON_DIR: dir, electron_config_cache: cache })
    expect(result.code).not.toBe(0)
    const paragraphs = result.stderr.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean)
    expect(paragraphs).toHaveLength(1)
    const [paragraph] = paragraphs as [string]
    expect(paragraph).not.toContain('\n')
    expect(paragraph).toMatch(new RegExp(`^Parley cannot start: the Electron ${version.replace(/\./g, '\\.')} binary for linux-x64 is not installed`))
    expect(paragraph).toContain('could not be fetched from https://github.com/electron/electron/releases/download/ (fetch failed: getaddrinfo')
    expect(paragraph).toContain('github.com')
    expect(paragraph).toContain('ELECTRON_MIRROR')
    expect(paragraph).toContain(`electron_config_cache at an Electron cache that already holds it (now: ${cache})`)
    expect(paragraph).toContain('`npm run start:browser` runs the same client')
    expect(result.stdout + result.stderr).not.toMatch(/Electron uninstall/)
    await expect(readFile(join(dir, 'path.txt'), 'utf8')).rejects.toThrow(/ENOENT/)
    await rm(dir, { recursive: true })
    await rm(cache, { recursive: true })
  }, WAIT_MS)

  describe('through a mirror on loopback (ELECTRON_MIRROR)', () => {
    let server: Server
    let mirror = ''
    const served: string[] = []
    let shasums = ''
    let body = standIn

    beforeAll(async () => {
      server = createServer((req, res) => {
        served.push(req.url ?? '')
        // @electron/get asks for <mirror><customDir = v{version}>/<file>, as on GitHub's release pages
        if (req.url === `/v${version}/${archive}`) return res.end(body)
        if (req.url === `/v${version}/SHASUMS256.txt`) return res.end(shasums)
        res.statusCode = 404
        res.end()
      })
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
      mirror = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
    })
    afterAll(() => new Promise<void>((ok) => server.close(() => ok())))

    async function ensure(dir: string, extra: Record<string, string> = {}): Promise<Run & { cache: string }> {
      const cache = await mkdtemp(join(tmpdir(), 'parley-electron-cache-'))
      const env = { PARLEY_ELECTRON_DIR: dir, ELECTRON_MIRROR: mirror, electron_config_cache: cache, ELECTRON_INSTALL_PLATFORM: 'linux', ELECTRON_INSTALL_ARCH: 'x64', ...extra }
      return { ...(await run(process.execPath, ['build/ensure-electron.mjs'], env)), cache }
    }

    it('downloads, checks the archive against checksums.json, extracts it and writes path.txt; a second start fetches nothing', async () => {
      body = standIn
      const dir = await electronCopy({ [archive]: sha256(standIn) })
      served.length = 0
      const first = await ensure(dir)
      expect(first.stderr).toBe('')
      expect(first.code).toBe(0)
      expect(served).toEqual([`/v${version}/${archive}`])
      expect(await readFile(join(dir, 'path.txt'), 'utf8')).toBe('electron')
      expect(first.stdout).toContain(`Electron ${version}: ${join(dir, 'dist', 'electron')}`)
      // what electron-vite would run next is the executable from the archive
      const started = await run(join(dir, 'dist', 'electron'), ['--version'], {})
      expect(started.stdout.trim()).toBe('stand-in electron --version')

      served.length = 0
      const second = await run(process.execPath, ['build/ensure-electron.mjs'], { PARLEY_ELECTRON_DIR: dir, ELECTRON_MIRROR: mirror })
      expect(second.code).toBe(0)
      expect(served).toEqual([])
      await rm(dir, { recursive: true })
      await rm(first.cache, { recursive: true })
    }, WAIT_MS)

    it("with electron_use_remote_checksums, checks the archive against the mirror's SHASUMS256.txt", async () => {
      body = standIn
      shasums = `${sha256(standIn)} *${archive}\n${'0'.repeat(64)} *chromedriver-v${version}-linux-x64.zip\n`
      const dir = await electronCopy() // the package's own checksums.json names the real archive, not the stand-in
      served.length = 0
      const result = await ensure(dir, { electron_use_remote_checksums: '1' })
      expect(result.code).toBe(0)
      expect(served).toEqual([`/v${version}/${archive}`, `/v${version}/SHASUMS256.txt`])
      expect(await readFile(join(dir, 'path.txt'), 'utf8')).toBe('electron')
      await rm(dir, { recursive: true })
      await rm(result.cache, { recursive: true })
    }, WAIT_MS)

    it('an archive that does not match its checksum is not installed: the paragraph names the mismatch and the exit status is 1', async () => {
      body = Buffer.concat([standIn, Buffer.from('tampered')])
      const dir = await electronCopy({ [archive]: sha256(standIn) })
      const result = await ensure(dir)
      expect(result.code).toBe(1)
      expect(result.stderr.trim()).toMatch(new RegExp(`^Parley cannot start: .* from ${mirror.replace(/[./]/g, '\\$&')} \\(.*checksum`, 'i'))
      expect(result.stderr.trim()).not.toContain('\n')
      await expect(readFile(join(dir, 'path.txt'), 'utf8')).rejects.toThrow(/ENOENT/)
      await rm(dir, { recursive: true })
      await rm(result.cache, { recursive: true })
    }, WAIT_MS)
  })
})
