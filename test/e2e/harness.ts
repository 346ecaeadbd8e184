// Runs the real renderer in Debian's Chromium against the real core over the WebSocket transport.
import { mkdtemp, mkdir, readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, expect } from 'vitest'
import type { Core } from '../../main/core/core'
import { startBrowserHost, type BrowserHost } from '../../main/transport/browser-host'
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/index'
import { testCore } from '../support/core'

export const rendererDir = resolve(import.meta.dirname, '../../out/renderer')
export const resultsDir = resolve(import.meta.dirname, '../../test-results')
/** $PARLEY_CHROMIUM (default /usr/bin/chromium), started with a desktop user's scheduling rights */
const chromiumAsUser = resolve(import.meta.dirname, 'chromium-as-user.sh')

/** Playwright passes its own --disable-features; Chromium honours only the last one, so we pass one merged list. */
export async function playwrightDisabledFeatures(): Promise<string[]> {
  const pkg = dirname(createRequire(import.meta.url).resolve('playwright-core/package.json'))
  const source = await readFile(join(pkg, 'lib/server/electron/loader.js'), 'utf8')
  const block = /var disabledFeatures = \[([\s\S]*?)\]\.filter/.exec(source)?.[1]
  if (!block) throw new Error('Cannot read playwright-core’s disabled feature list; update test/e2e/harness.ts')
  return [...block.matchAll(/^\s*"([^"]+)"/gm)].map((m) => m[1]!)
}

/**
 * Chromium (headless, fresh profile in a temp dir named from `profilePrefix`) with fake camera and microphone,
 * loopback WebRTC allowed and mDNS host candidates off; `args` are added to those.
 */
export async function launchChromium(profilePrefix: string, options: { args?: string[]; viewport?: { width: number; height: number } } = {}): Promise<BrowserContext> {
  const ours = await playwrightDisabledFeatures()
  return chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), profilePrefix)), {
    executablePath: chromiumAsUser,
    headless: true,
    ignoreDefaultArgs: [`--disable-features=${ours.join(',')}`],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--allow-loopback-in-peer-connection',
      ...(options.args ?? []),
      `--disable-features=${[...ours, 'WebRtcHideLocalIpsWithMdns'].join(',')}`,
    ],
    ...(options.viewport && { viewport: options.viewport }),
  })
}

export interface Client {
  page: Page
  context: BrowserContext
  core: Core
  host: BrowserHost
  close(): Promise<void>
}

export async function launchClient(options: { core?: Core; beforeLoad?: (context: BrowserContext) => Promise<void> } = {}): Promise<Client> {
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('Build the renderer first: npm run build')
  const core = options.core ?? (await testCore())
  const host = await startBrowserHost({ core, rendererDir })
  const context = await launchChromium('parley-chromium-', { viewport: { width: 1100, height: 760 } })
  await options.beforeLoad?.(context)
  const page = context.pages()[0] ?? (await context.newPage())
  // PARLEY_TEST_LOG=1: the page's errors and warnings beside the cores' logs, to read a failure
  if (process.env.PARLEY_TEST_LOG) {
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && console.error(`[page ${new Date().toISOString().slice(11, 23)}] ${m.type()}: ${m.text()}`))
    page.on('pageerror', (e) => console.error(`[page ${new Date().toISOString().slice(11, 23)}] uncaught: ${e.message}`))
  }
  await page.goto(host.url)
  return {
    page,
    context,
    core,
    host,
    async close() {
      await context.close()
      await host.close()
      await core.close()
    },
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(resultsDir, { recursive: true })
  const path = join(resultsDir, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** the focused element's accessible name (aria-label, its label, or its text) and whether a focus outline shows */
export function focused(page: Page): Promise<{ name: string; outlined: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return { name: '', outlined: false }
    const label = (el as HTMLInputElement).labels?.[0]?.textContent
    const name = (el.getAttribute('aria-label') ?? label ?? el.textContent ?? '').trim()
    const style = getComputedStyle(el)
    return { name, outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 }
  })
}

/** Tab forward until the control named `name` has focus (fails when it is not reachable); its focus must show. */
export async function tabTo(page: Page, name: string): Promise<void> {
  const seen: string[] = []
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab')
    const now = await focused(page)
    if (now.name === name) {
      expect(now.outlined, `focus outline on ${name}`).toBe(true)
      return
    }
    seen.push(now.name)
  }
  throw new Error(`${name} is not reachable with Tab; focus went through: ${seen.join(' | ')}`)
}

/**
 * The end-to-end suite's pool: the simulator with its own endpoints in the SfB 2015 media dialect, as a real pool's
 * (issue #20), so every call to a bot goes through the media bridge. A file that needs `media: 'webrtc'` says why.
 */
export function startPool(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ media: 'sfb2015', ...options })
}

/**
 * Signs a demo user in through the form (`<name>@contoso.test`, password `<name>-pass`), through the pool at
 * `discoveryUrl` when the core has none of its own, and waits for the signed-in header.
 */
export async function signInAs(page: Page, name: string, discoveryUrl?: string): Promise<void> {
  await page.getByLabel('Sign-in address').fill(`${name}@contoso.test`)
  await page.getByLabel('Password', { exact: true }).fill(`${name}-pass`)
  if (discoveryUrl) {
    if (!(await page.getByLabel('Discovery URL').isVisible())) await page.getByText('Advanced').click()
    await page.getByLabel('Discovery URL').fill(discoveryUrl)
  }
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByTestId('me').waitFor({ timeout: 20_000 })
}

/** After the file's tests: every client's window closed, then the pool. */
/**
 * After a test: every call still up on these pages is hung up (or declined) until none shows, so one test's failure
 * is reported once, not again by each test after it that finds a call in the way.
 */
export async function endCalls(pages: Page[]): Promise<void> {
  const up = async (page: Page) => (await page.getByTestId('call-view').count()) + (await page.getByTestId('incoming-call').count())
  for (const page of pages) {
    for (let i = 0; i < 8 && (await up(page)) > 0; i++) {
      await page.getByRole('button', { name: /^(Hang up|Decline)$/ }).first().click({ timeout: 2000 }).catch(() => undefined)
      await page.waitForTimeout(500)
    }
  }
}

export function closeAfterAll(clients: Record<string, Client>, pool: () => { close(): Promise<void> } | undefined): void {
  afterAll(async () => {
    await Promise.all(Object.values(clients).map((c) => c.close()))
    await pool()?.close()
  })
}
