// `npm run simulator` as a person runs it: prints its URL and users, and answers there.
import { spawn } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { http, token } from './helpers'

const root = resolve(import.meta.dirname, '../../..')

describe('npm run simulator', () => {
  it('reads users from a config file, prints the discovery URL and users, and serves them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parley-sim-'))
    const config = join(dir, 'sim.json')
    await writeFile(config, JSON.stringify({ users: [{ sip: 'erin@fabrikam.test', name: 'Erin Eriksen', password: 'erin-pass' }] }))
    const child = spawn(resolve(root, 'node_modules/.bin/tsx'), ['test/simulator/cli.ts', '--config', config, '--port', '0'], { cwd: root })
    try {
      let out = ''
      child.stdout.on('data', (d) => (out += d))
      await expect.poll(() => out, { timeout: 15_000 }).toContain('Ctrl+C stops')
      expect(out).toMatch(/erin@fabrikam\.test\s+erin-pass\s+pool1/)
      const url = /Discovery URL: (\S+)/.exec(out)![1]!
      const root_ = await http(url)
      expect(root_.json._links.user.href).toContain('/oauth/user')
      expect(await token(new URL(url).origin, 'erin@fabrikam.test', 'erin-pass')).toMatch(/^cwt=/)
    } finally {
      child.kill('SIGTERM')
    }
  }, 30_000)
})
