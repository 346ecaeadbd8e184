import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveAppFile, serveAppRequest } from '../../main/desktop/app-protocol'
import { allowPermission, isAppUrl, lockSession, lockWebContents, secureWebPreferences, type SessionLike, type WebContentsLike } from '../../main/desktop/security'

describe('Electron security baseline', () => {
  it('turns on isolation and sandbox and turns off Node in the page', () => {
    expect(secureWebPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false })
  })

  it('grants camera and microphone to the app page only', () => {
    expect(allowPermission('media', 'app://parley/index.html', ['audio', 'video'])).toBe(true)
    expect(allowPermission('media', 'https://evil.example/', ['video'])).toBe(false)
    expect(allowPermission('media', 'app://parley.evil/', ['video'])).toBe(false)
    expect(allowPermission('geolocation', 'app://parley/index.html')).toBe(false)
    expect(allowPermission('openExternal', 'app://parley/index.html')).toBe(false)
    expect(isAppUrl('not a url')).toBe(false)
  })

  it('wires the permission handlers onto the session', () => {
    let request: Parameters<SessionLike['setPermissionRequestHandler']>[0] | undefined
    let check: Parameters<SessionLike['setPermissionCheckHandler']>[0] | undefined
    lockSession({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) })
    const answers: boolean[] = []
    request!(null, 'media', (g) => answers.push(g), { requestingUrl: 'app://parley/', mediaTypes: ['video'] })
    request!(null, 'media', (g) => answers.push(g), { requestingUrl: 'https://x.example/', mediaTypes: ['video'] })
    expect(answers).toEqual([true, false])
    expect(check!(null, 'media', 'app://parley')).toBe(true)
    expect(check!(null, 'media', 'https://x.example')).toBe(false)
  })

  it('blocks navigation away, new windows and webviews; https links open outside', () => {
    const listeners: Record<string, (event: { preventDefault(): void }, url: string) => void> = {}
    let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined
    const contents = {
      on: (name: string, l: (event: { preventDefault(): void }, url: string) => void) => void (listeners[name] = l),
      setWindowOpenHandler: (h: (d: { url: string }) => { action: 'deny' }) => void (openHandler = h),
    } as unknown as WebContentsLike
    const opened: string[] = []
    lockWebContents(contents, (url) => opened.push(url))
    let prevented = 0
    const event = { preventDefault: () => void prevented++ }
    listeners['will-navigate']!(event, 'https://evil.example/')
    listeners['will-navigate']!(event, 'app://parley/index.html')
    listeners['will-redirect']!(event, 'file:///etc/passwd')
    listeners['will-attach-webview']!(event, '')
    expect(prevented).toBe(3)
    expect(openHandler!({ url: 'https://docs.example/help' })).toEqual({ action: 'deny' })
    expect(openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://docs.example/help'])
  })

  it('app:// serves files under the renderer folder only, with CSP', async () => {
    const root = await mkdtemp(join(tmpdir(), 'parley-app-'))
    await writeFile(join(root, 'index.html'), '<p>hi</p>')
    expect(resolveAppFile(root, 'app://parley/')).toBe(join(root, 'index.html'))
    expect(resolveAppFile(root, 'app://parley/../../etc/passwd')).toBe(join(root, 'etc/passwd')) // URL parsing folds ..
    expect(resolveAppFile(root, 'app://parley/..%2f..%2fetc%2fpasswd')).toBeNull()
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull()
    const ok = await serveAppRequest(root, { url: 'app://parley/index.html' })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect((await serveAppRequest(root, { url: 'app://parley/missing.js' })).status).toBe(404)
  })
  it('app:// answers 404, never throws, to a malformed escape or a URL it cannot parse', async () => {
    const root = await mkdtemp(join(tmpdir(), 'parley-app-'))
    await writeFile(join(root, 'index.html'), '<p>hi</p>')
    for (const url of ['app://parley/%E0%A4%A', 'app://parley/%', 'app://parley/%ZZ', 'app://parley/index.html%00.js', 'app://parley:99999/', 'app://', '', 'not a url', 'http://[::1']) {
      expect(resolveAppFile(root, url)).toBeNull()
      const res = await serveAppRequest(root, { url })
      expect([url, res.status, await res.text()]).toEqual([url, 404, 'Not found'])
    }
    expect((await serveAppRequest(root, { url: 'app://parley/%69ndex.html' })).status).toBe(200) // a well-formed escape still decodes
  })
})
