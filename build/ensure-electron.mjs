#!/usr/bin/env node
// `npm start` runs this before electron-vite: electron >= 42 fetches its binary lazily, allowScripts keeps its
// install script off, and electron-vite reads node_modules/electron/path.txt itself ("Electron uninstall").
// It installs the binary the way node_modules/electron/install.js does (@electron/get: ELECTRON_MIRROR,
// ELECTRON_CUSTOM_DIR, electron_config_cache, checksums.json or the mirror's SHASUMS256.txt), or prints one
// paragraph saying why it could not and what fixes it, and exits 1.
// PARLEY_ELECTRON_DIR names another copy of the electron package to install into (tests use a temp copy).
import { existsSync, readFileSync } from 'node:fs'
import { rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const projectRequire = createRequire(import.meta.url)
// @electron/get and the extractor are electron's own dependencies: resolve them from the installed package
const electronRequire = createRequire(projectRequire.resolve('electron/package.json'))
const electronDir = process.env.PARLEY_ELECTRON_DIR ?? join(projectRequire.resolve('electron/package.json'), '..')
const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'))
const platform = process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform
const arch = process.env.ELECTRON_INSTALL_ARCH || process.env.npm_config_arch || process.arch

/** The executable's path inside dist/, as install.js writes it to path.txt. */
function platformPath() {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

/** The same test as install.js's isInstalled(): dist/version, path.txt and the executable agree. */
function installedExecutable() {
  try {
    if (readFileSync(join(electronDir, 'dist', 'version'), 'utf8').trim().replace(/^v/, '') !== version) return null
    if (readFileSync(join(electronDir, 'path.txt'), 'utf8') !== platformPath()) return null
  } catch {
    return null
  }
  const executable = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(electronDir, 'dist'), platformPath())
  return existsSync(executable) ? executable : null
}

/** Downloads (or takes from the cache), verifies and extracts the binary; resolves to the executable's path. */
async function install() {
  const { downloadArtifact } = await import(electronRequire.resolve('@electron/get'))
  const useRemoteChecksums = process.env.electron_use_remote_checksums || process.env.npm_config_electron_use_remote_checksums
  const zipPath = await downloadArtifact({
    version,
    artifactName: 'electron',
    force: process.env.force_no_cache === 'true',
    cacheRoot: process.env.electron_config_cache || process.env.ELECTRON_CACHE,
    // the checksums shipped in the package, as install.js does; the mirror's SHASUMS256.txt when asked
    checksums: useRemoteChecksums ? undefined : JSON.parse(readFileSync(join(electronDir, 'checksums.json'), 'utf8')),
    platform,
    arch,
  })
  const { extract } = await import(electronRequire.resolve('@electron-internal/extract-zip'))
  const dist = join(electronDir, 'dist')
  await extract(zipPath, { dir: dist })
  if (existsSync(join(dist, 'electron.d.ts'))) await rename(join(dist, 'electron.d.ts'), join(electronDir, 'electron.d.ts'))
  await writeFile(join(electronDir, 'path.txt'), platformPath())
  const executable = installedExecutable()
  if (!executable) throw new Error(`the archive did not hold Electron ${version} (${platformPath()}, dist/version)`)
  return executable
}

function whyNot(error) {
  // fetch() says only "fetch failed"; its cause names the host and the network error
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : ''
  const detail = (error instanceof Error ? error.message.split('\n')[0] : String(error)) + cause
  const mirror = process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror || 'https://github.com/electron/electron/releases/download/'
  const cache = process.env.electron_config_cache || process.env.ELECTRON_CACHE || 'the default: ~/.cache/electron on Linux, ~/Library/Caches/electron on macOS, %LOCALAPPDATA%\\electron\\Cache on Windows'
  return [
    `Parley cannot start: the Electron ${version} binary for ${platform}-${arch} is not installed and could not be fetched`,
    `from ${mirror} (${detail}).`,
    `To fix it, make that host reachable (HTTPS_PROXY with ELECTRON_GET_USE_PROXY=1 for a proxy), or set ELECTRON_MIRROR`,
    `to a mirror that has electron-v${version}-${platform}-${arch}.zip (ELECTRON_CUSTOM_DIR for its folder layout,`,
    `electron_use_remote_checksums=1 if it is not an official build), or point electron_config_cache at an Electron`,
    `cache that already holds it (now: ${cache}), then run npm start again.`,
    `Meanwhile \`npm run start:browser\` runs the same client in your browser, no Electron needed.`,
  ].join(' ')
}

const ready = installedExecutable()
if (ready) {
  console.log(`Electron ${version}: ${ready}`)
} else {
  try {
    console.log(`Fetching Electron ${version} for ${platform}-${arch} (first start)…`)
    console.log(`Electron ${version}: ${await install()}`)
  } catch (error) {
    console.error(whyNot(error))
    process.exit(1)
  }
}
