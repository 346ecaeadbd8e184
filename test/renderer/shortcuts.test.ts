import { describe, expect, it } from 'vitest'
import { keysOf, SHORTCUTS, shortcutFor, type KeyLike } from '../../renderer/src/keys/shortcuts'

const press = (key: string, o: Partial<KeyLike> = {}): KeyLike => ({ key, code: `Key${key.toUpperCase()}`, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...o })

describe('keyboard shortcuts', () => {
  it('Ctrl+Shift+letter (⌘⇧ on macOS) for mute, camera, hang up, accept and decline', () => {
    const on = (mac: boolean) => SHORTCUTS.map((s) => shortcutFor(press(s.key, { shiftKey: true, ...(mac ? { metaKey: true } : { ctrlKey: true }) }), mac))
    expect(on(false)).toEqual(['mute', 'camera', 'hang-up', 'accept-video', 'accept-audio', 'decline'])
    expect(on(true)).toEqual(on(false))
    expect(SHORTCUTS.map((s) => keysOf(s, false))).toEqual(['Ctrl+Shift+M', 'Ctrl+Shift+O', 'Ctrl+Shift+H', 'Ctrl+Shift+A', 'Ctrl+Shift+S', 'Ctrl+Shift+D'])
    expect(keysOf(SHORTCUTS[0]!, true)).toBe('⌘⇧M')
  })

  it('nothing without both modifiers, with Alt, with the other platform’s key, or for another letter', () => {
    expect(shortcutFor(press('M', { ctrlKey: true }), false)).toBeNull()
    expect(shortcutFor(press('m', { shiftKey: true }), false)).toBeNull()
    expect(shortcutFor(press('M', { ctrlKey: true, shiftKey: true, altKey: true }), false)).toBeNull()
    expect(shortcutFor(press('M', { ctrlKey: true, shiftKey: true }), true)).toBeNull()
    expect(shortcutFor(press('M', { metaKey: true, shiftKey: true }), false)).toBeNull()
    expect(shortcutFor(press('Q', { ctrlKey: true, shiftKey: true }), false)).toBeNull()
  })

  it('reads the key’s place, so a Cyrillic or Greek layout works too', () => {
    expect(shortcutFor({ key: 'Ь', code: 'KeyM', ctrlKey: true, shiftKey: true, metaKey: false, altKey: false }, false)).toBe('mute')
  })
})
