import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultSettings, SettingsStore } from '../../main/core/settings-store'

describe('settings store', () => {
  it('persists changes across restarts', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'parley-settings-')), 'settings.json')
    await new SettingsStore(file).update({ theme: 'dark', startWithCameraOff: true })
    const reopened = await new SettingsStore(file).load()
    expect(reopened).toEqual({ ...defaultSettings, theme: 'dark', startWithCameraOff: true })
    expect(JSON.parse(await readFile(file, 'utf8')).theme).toBe('dark')
  })

  it('keeps the valid fields of a damaged file and defaults the rest', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'parley-settings-')), 'settings.json')
    await writeFile(file, JSON.stringify({ theme: 'neon', closeToTray: false, junk: 1 }))
    expect(await new SettingsStore(file).load()).toEqual({ ...defaultSettings, closeToTray: false })
    await writeFile(file, '{not json')
    expect(await new SettingsStore(file).load()).toEqual(defaultSettings)
  })
})
