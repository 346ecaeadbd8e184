// `npm run simulator` as a person runs it: prints its URL and users, and answers there.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { http, token } from './helpers'

const root = resolve(import.meta.dirname, '../../..')
const WAIT_MS = 30_000 // tsx compiling and the pool starting on a loaded machine

const running: ChildProcessWithoutNullStreams[] = []
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null) c.kill('SIGTERM')
})

function cli(args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; err: () => string } {
  const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['test/simulator/cli.ts', ...args], { cwd: root })
  running.push(child)
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  return { child, out: () => out, err: () => err }
}

async function configFile(config: object): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'parley-sim-')), 'sim.json')
  await writeFile(file, JSON.stringify(config))
  return file
}

/** The users the CLI printed, SIP address first, in order. */
const printedUsers = (out: string): string[] => [...out.matchAll(/^ {4}(\S+@\S+)\s+\S+\s+pool\d$/gm)].map((m) => m[1]!)

describe('npm run simulator', () => {
  it("adds a config file's users to the demo users, prints the discovery URL and users, and serves them (JSON and XML)", async () => {
    const config = await configFile({ users: [{ sip: 'erin@fabrikam.test', name: 'Erin Eriksen', password: 'erin-pass' }, { sip: 'bob@contoso.test', name: 'Robert', password: 'other-pass' }] })
    const { out } = cli(['--config', config, '--port', '0'])
    await expect.poll(out, { timeout: WAIT_MS }).toContain('Ctrl+C stops')
    expect(printedUsers(out())).toEqual(['alice@contoso.test', 'carol@contoso.test', 'dave@contoso.test', 'echo@contoso.test', 'erin@contoso.test', 'erin@fabrikam.test', 'bob@contoso.test'])
    expect(out()).toMatch(/erin@fabrikam\.test\s+erin-pass\s+pool1/)
    expect(out()).toMatch(/bob@contoso\.test\s+other-pass\s+pool1/) // a config user with a demo address takes its place
    expect(out()).toMatch(/dave@contoso\.test\s+dave-pass\s+pool2/)
    const url = /Discovery URL: (\S+)/.exec(out())![1]!
    const json = await http(url)
    expect(json.json._links.user.href).toContain('/oauth/user')
    // root_ref.md: the same resource in XML when the client asks for it (Accept: application/xml)
    const xml = await http(url, { accept: 'xml' })
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml/)
    expect(xml.xml.resource[0].link.find((l: { '@_rel': string }) => l['@_rel'] === 'user')['@_href']).toContain('/oauth/user')
    expect(await token(new URL(url).origin, 'erin@fabrikam.test', 'erin-pass')).toMatch(/^cwt=/)
    expect(await token(new URL(url).origin, 'alice@contoso.test', 'alice-pass')).toMatch(/^cwt=/)
  }, WAIT_MS * 2)

  it('"replaceDefaultUsers": true (or --replace-users) serves only the config file\'s users', async () => {
    const users = [{ sip: 'frank@fabrikam.test', name: 'Frank', password: 'frank-pass' }]
    const a = cli(['--config', await configFile({ users, replaceDefaultUsers: true }), '--port', '0'])
    const b = cli(['--config', await configFile({ users }), '--replace-users', '--port', '0'])
    for (const { out } of [a, b]) {
      await expect.poll(out, { timeout: WAIT_MS }).toContain('Ctrl+C stops')
      expect(printedUsers(out())).toEqual(['frank@fabrikam.test'])
    }
  }, WAIT_MS * 2)

  it('speaks the SfB 2015 media dialect unless --media webrtc (or "media" in the config file) says otherwise; another value stops it', async () => {
    const runs = [cli(['--port', '0']), cli(['--port', '0', '--media', 'webrtc']), cli(['--config', await configFile({ media: 'webrtc' }), '--port', '0'])]
    for (const [i, { out }] of runs.entries()) {
      await expect.poll(out, { timeout: WAIT_MS }).toContain('Ctrl+C stops')
      expect(out().split('\n')[0]).toBe(`UCWA pool simulator running (media dialect: ${i === 0 ? 'sfb2015' : 'webrtc'}).`)
    }
    const bad = cli(['--port', '0', '--media', 'h323'])
    const [code] = (await once(bad.child, 'exit')) as [number]
    expect(code).toBe(1)
    expect(bad.err().trim()).toBe('--media h323: the pool speaks sfb2015 (the default) or webrtc.')
  }, WAIT_MS * 2)

  it('a port in use: says so and how to choose another with --port, exits 1', async () => {
    const busy = createServer()
    await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok))
    const port = (busy.address() as { port: number }).port
    try {
      const { child, err, out } = cli(['--port', String(port)])
      const [code] = (await once(child, 'exit')) as [number]
      expect(code).toBe(1)
      expect(err().trim()).toBe(
        `Port ${port} on 127.0.0.1 is already in use (another simulator?). Start it on another port with --port N (or PARLEY_SIM_PORT=N, or "port" in the config file); --port 0 picks a free one.`,
      )
      expect(out()).toBe('')
    } finally {
      busy.close()
    }
  }, WAIT_MS * 2)
})
