// Electronegativity over main/ and over the built bundle (out/): no high-severity finding, and every other
// finding explained here. The bundle is what ships: build it first (`npx electron-vite build`; npm test does).
import { execFile } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { copyFile, mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { extname, join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

/** Why each remaining finding is acceptable: the tool cannot see these (they are checked by our tests). */
const explained: Record<string, string> = {
  CSP_GLOBAL_CHECK: 'The CSP is sent as a header by the app:// protocol handler and the browser host (test/unit/security.test.ts, ws-transport.test.ts), which the static check does not read.',
  AUXCLICK_JS_CHECK: 'Every web contents gets will-navigate/will-redirect locks and a deny-all window-open handler (lockWebContents, tested).',
  OPEN_EXTERNAL_JS_CHECK: 'openExternal is called only for https: URLs from the window-open handler (tested in security.test.ts).',
  PRELOAD_JS_CHECK: 'The preload exposes one bridge with an allow-list of channels; main validates every call (ipc-transport.test.ts).',
  PROTOCOL_HANDLER_JS_CHECK: 'sip:/tel:/parley: links are parsed strictly and confirmed by the person before a call (desktop-logic.test.ts, calls E2E).',
}

/**
 * The known false positive. Electronegativity 1.10 reads .js files with esprima, then babel into an esprima-style
 * walker, and neither reads class private fields (`#x`), which the bundle keeps: every bundled file fails with
 * "Unknown node type ClassPrivateProperty", no code is checked, and the global checks then miss the handlers
 * they never saw. Plain JavaScript is TypeScript, so the bundle is audited under .ts names (the parser main/
 * goes through), where every file parses and these handlers are found.
 */
const unreadBundleFalsePositives: Record<string, string> = {
  LIMIT_NAVIGATION_GLOBAL_CHECK: 'will-navigate/will-redirect are handled (lockWebContents); the unparsed bundle hides them.',
  PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK: 'setPermissionRequestHandler is set (lockSession); the unparsed bundle hides it.',
}

interface Finding {
  check: string
  severity: string
  file: string
}

/** Electronegativity's own runner (its CLI hides parse errors when it writes a report), in a process of its own. */
const runner = `
const run = require(${JSON.stringify(join(root, 'node_modules/@doyensec/electronegativity'))})
run({ input: process.argv[1], electronVersionOverride: '45.4.1', customScan: [], excludeFromScan: [], parserPlugins: [] }).then((r) => {
  const findings = r.issues.map((i) => ({ check: i.id, severity: i.severity.name, file: i.file }))
  const unread = r.errors.filter((e) => !e.tolerable).map((e) => ({ file: e.file, message: e.message }))
  process.stdout.write('\\n@@' + JSON.stringify({ findings, unread }))
})`

/** Runs the audit over a folder: its findings, and the files it could not read (it reports nothing for those). */
async function audit(input: string): Promise<{ findings: Finding[]; unread: { file: string; message: string }[] }> {
  // electronVersionOverride: the Electron version is pinned (the tool would otherwise look it up online)
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', runner, resolve(root, input)], { cwd: root, timeout: 150_000, maxBuffer: 16 << 20 })
  const result = JSON.parse(stdout.slice(stdout.lastIndexOf('\n@@') + 3)) as { findings: Finding[]; unread: { file: string; message: string }[] }
  for (const f of result.findings) expect(f.severity).toMatch(/^(INFORMATIONAL|LOW|MEDIUM|HIGH)$/) // the filters below read it
  return result
}

/** every file under dir */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

/** The built bundle's code (main, preload, renderer) and pages, code renamed .ts; the copies' names keep their path. */
async function bundleAsTypeScript(): Promise<{ dir: string; code: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-bundle-'))
  const code: string[] = []
  for (const file of await filesUnder(join(root, 'out'))) {
    const name = relative(join(root, 'out'), file).replaceAll('/', '__')
    const ext = extname(file)
    if (['.js', '.cjs', '.mjs'].includes(ext)) {
      code.push(`${name.slice(0, -ext.length)}.ts`)
      await copyFile(file, join(dir, code.at(-1)!))
    } else if (ext === '.html') await copyFile(file, join(dir, name))
  }
  return { dir, code }
}

const severe = (findings: Finding[]) => findings.filter((r) => r.severity === 'HIGH')
const unexplained = (findings: Finding[]) => findings.filter((r) => !explained[r.check]).map((r) => r.check)

describe('electronegativity', () => {
  it('main/: nothing of high severity, and nothing unexplained', async () => {
    const { findings, unread } = await audit('main')
    expect(unread).toEqual([])
    expect(findings.length).toBeGreaterThan(0) // the audit ran over the code
    expect(severe(findings)).toEqual([])
    expect(unexplained(findings)).toEqual([])
  }, 180_000)

  it('the built bundle (out/): every file read, nothing of high severity, nothing unexplained', async () => {
    const entry = join(root, 'out/main/index.js')
    expect(existsSync(entry), 'out/ is missing: run `npx electron-vite build` first').toBe(true)
    const sources = (await Promise.all(['main', 'preload', 'renderer/src'].map((d) => filesUnder(join(root, d))))).flat()
    expect(statSync(entry).mtimeMs >= Math.max(...sources.map((f) => statSync(f).mtimeMs)), 'out/ is older than the sources: run `npx electron-vite build` first').toBe(true)

    const bundle = await bundleAsTypeScript()
    expect(bundle.code).toEqual(expect.arrayContaining(['main__index.ts', 'preload__index.ts']))
    const [asTypeScript, asJavaScript] = await Promise.all([audit(bundle.dir), audit('out')])

    expect(asTypeScript.unread).toEqual([])
    expect(asTypeScript.findings.some((r) => r.file.endsWith('main__index.ts'))).toBe(true) // it read the main process
    expect(severe(asTypeScript.findings)).toEqual([])
    expect(unexplained(asTypeScript.findings)).toEqual([])

    // read as JavaScript the same bytes are not parsed, and only then does the known false positive appear
    expect(asJavaScript.unread).toContainEqual({ file: join(root, 'out/main/index.js'), message: 'Unknown node type ClassPrivateProperty.' })
    expect(severe(asJavaScript.findings).map((r) => r.check)).toEqual(['LIMIT_NAVIGATION_GLOBAL_CHECK'])
    expect(asJavaScript.findings.filter((r) => !explained[r.check] && !unreadBundleFalsePositives[r.check])).toEqual([])
  }, 180_000)
})

