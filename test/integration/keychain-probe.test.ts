// The start-up keychain probe against a real gnome-keyring on a D-Bus session of the test's own (inside the
// namespace /work/tools/vt and test/run.sh set up): a Secret Service that never answers, and a locked login
// keyring with no prompter (keytar crashes with SIGSEGV there). Neither may hold or end this process.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DeferredTokenStore } from '../../main/credentials/deferred-token-store'
import { keychainAdvice } from '../../main/credentials/keychain-advice'
import { nodeProbeLauncher } from '../../main/credentials/node-probe-launcher'
import { openTokenStore } from '../../main/credentials/open-token-store'
import { testCore } from '../support/core'

const root = resolve(import.meta.dirname, '../..')
const probeSource = join(root, 'main/credentials/keychain-probe-child.ts')
const keytarPath = join(root, 'node_modules/keytar/lib/keytar.js')
const SERVICE = 'Parley probe test'
const WAIT_MS = 60_000 // daemons and Node children starting on a loaded 2-core machine
const ANSWER_MS = 30_000 // bound for the probes that get an answer: generous, it is not what they test

const started: ChildProcess[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const p of started.splice(0)) {
    if (p.exitCode !== null || p.signalCode !== null) continue
    p.kill('SIGCONT')
    p.kill('SIGKILL')
    await once(p, 'exit')
  }
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

/** A D-Bus session bus of this test's own; resolves to the environment that points at it. */
async function privateBus(): Promise<NodeJS.ProcessEnv> {
  const home = await mkdtemp(join(tmpdir(), 'parley-keyring-'))
  dirs.push(home)
  await mkdir(join(home, 'run'), { mode: 0o700 })
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] })
  started.push(bus)
  const [line] = (await once(bus.stdout!, 'data')) as [Buffer]
  const env = { ...process.env, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: join(home, 'run'), DBUS_SESSION_BUS_ADDRESS: line.toString().trim() }
  return env
}

/** gnome-keyring-daemon's Secret Service on that bus, unlocked with `password` or (none) left locked. */
async function keyringDaemon(env: NodeJS.ProcessEnv, password?: string): Promise<ChildProcess> {
  const args = ['--foreground', '--components=secrets', ...(password === undefined ? [] : ['--unlock'])]
  const daemon = spawn('gnome-keyring-daemon', args, { env, stdio: ['pipe', 'ignore', 'ignore'] })
  started.push(daemon)
  daemon.stdin!.end(password ?? '')
  for (const deadline = Date.now() + WAIT_MS; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const owner = spawn('dbus-send', ['--session', '--dest=org.freedesktop.DBus', '--print-reply', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', 'string:org.freedesktop.secrets'], { env })
    let out = ''
    owner.stdout.on('data', (d: Buffer) => (out += d))
    await once(owner, 'exit')
    if (out.includes('boolean true')) return daemon
  }
  throw new Error('gnome-keyring-daemon never took org.freedesktop.secrets')
}

async function stop(daemon: ChildProcess): Promise<void> {
  daemon.kill('SIGTERM')
  await once(daemon, 'exit')
}

/** keytar run directly (no probe) in a plain Node child on that bus: its exit code and signal. */
async function keytarDirect(env: NodeJS.ProcessEnv, call: string): Promise<{ code: number | null; signal: string | null }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', `import k from ${JSON.stringify(keytarPath)}; await k.${call}`], { env, stdio: 'ignore' })
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null]
  return { code, signal }
}

const probeOn = (env: NodeJS.ProcessEnv) => nodeProbeLauncher(probeSource, { execArgv: ['--import', 'tsx'], env })

describe('keychain probe at start-up', () => {
  it('an unlocked keyring: the probe answers and the store is the keychain', async () => {
    const env = await privateBus()
    await keyringDaemon(env, 'parley')
    const store = await openTokenStore({ service: SERVICE, probe: probeOn(env), timeoutMs: ANSWER_MS })
    expect(store.kind).toBe('keychain')
    expect(store.unavailableReason).toBeUndefined()
  }, WAIT_MS * 2)

  it('a Secret Service that never answers: within the bound, memory with a reason; this process never waits longer', async () => {
    const env = await privateBus()
    const daemon = await keyringDaemon(env, 'parley')
    daemon.kill('SIGSTOP') // owns the bus name, answers nothing
    const bound = 4_000
    const began = Date.now()
    const store = await openTokenStore({ service: SERVICE, probe: probeOn(env), timeoutMs: bound })
    const took = Date.now() - began
    expect(store.kind).toBe('memory')
    expect(store.unavailableReason).toBe(keychainAdvice(process.platform, 'it did not answer within 4 s'))
    expect(took).toBeGreaterThanOrEqual(bound - 50)
    expect(took).toBeLessThan(bound + 3_000)
  }, WAIT_MS * 2)

  it('a locked login keyring and no prompter: keytar crashes (SIGSEGV) in the probe only; memory with a reason', async () => {
    const env = await privateBus()
    // an existing login keyring holding an item, as on a desktop that has been used
    const first = await keyringDaemon(env, 'parley')
    expect(await keytarDirect(env, `setPassword(${JSON.stringify(SERVICE)}, 'someone', 'secret')`)).toEqual({ code: 0, signal: null })
    await stop(first)
    await keyringDaemon(env) // the same keyring file, not unlocked; no display, so no prompter
    // what the app did before: keytar in its own process dies
    expect(await keytarDirect(env, `findCredentials(${JSON.stringify(SERVICE)})`)).toEqual({ code: null, signal: 'SIGSEGV' })

    const store = await openTokenStore({ service: SERVICE, probe: probeOn(env), timeoutMs: ANSWER_MS })
    expect(store.kind).toBe('memory')
    expect(store.unavailableReason).toBe(keychainAdvice(process.platform, 'the keychain crashed its check (SIGSEGV); a locked keyring with nothing to unlock it can do that'))
    await store.set('a@https://pool.test', { accessToken: 'cwt=x', tokenType: 'Bearer', expiresAt: 1 })
    expect(await store.get('a@https://pool.test')).toMatchObject({ accessToken: 'cwt=x' })
  }, WAIT_MS * 2)

  it('the app does not wait on the probe: the core is up while the keychain is silent, and its info says why once the bound passes', async () => {
    const env = await privateBus()
    const daemon = await keyringDaemon(env, 'parley')
    daemon.kill('SIGSTOP')
    let settled = false
    const store = new DeferredTokenStore(openTokenStore({ service: SERVICE, probe: probeOn(env), timeoutMs: 4_000 }))
    void store.ready.then(() => (settled = true))
    const core = await testCore({ tokenStore: store })
    expect(settled).toBe(false) // what the window needs is there before the keychain has answered
    const info = await core.dispatch('app.getInfo', undefined)
    expect(settled).toBe(true)
    expect(info).toMatchObject({ ok: true, value: { keychain: { available: false, reason: expect.stringContaining('did not answer within 4 s') } } })
    await core.close()
  }, WAIT_MS * 2)
})
