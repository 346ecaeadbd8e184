// Electron's security checklist, as pure decisions (tested) plus thin wiring onto Electron objects.
export const APP_SCHEME = 'app'
export const APP_HOST = 'parley'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url) // compare parts: a non-special scheme's origin is "null" outside Electron
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === ''
  } catch {
    return false
  }
}

/** Camera and microphone for the app's own page only; everything else denied. */
export function allowPermission(permission: string, requestingUrl: string, mediaTypes: readonly string[] = []): boolean {
  if (!isAppUrl(requestingUrl)) return false
  if (permission === 'media') return mediaTypes.every((t) => t === 'audio' || t === 'video')
  // enumerateDevices labels, output device choice, notifications for incoming calls
  return permission === 'speaker-selection' || permission === 'notifications' || permission === 'fullscreen'
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler: (wc: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string; mediaTypes?: string[] }) => void,
  ): void
  setPermissionCheckHandler(handler: (wc: unknown, permission: string, requestingOrigin: string) => boolean): void
}

export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): void
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

export function lockSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(allowPermission(permission, details.requestingUrl ?? '', details.mediaTypes ?? [])),
  )
  session.setPermissionCheckHandler((_wc, permission, origin) => allowPermission(permission === 'media' ? 'media' : permission, origin))
}

/** No navigation away from the app, no new windows, no webviews. */
export function lockWebContents(contents: WebContentsLike, openExternal: (url: string) => void): void {
  const stay = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault()
  }
  contents.on('will-navigate', stay)
  contents.on('will-redirect', stay)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//i.test(url)) openExternal(url) // help links open in the user's browser
    return { action: 'deny' }
  })
}

export const secureWebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
} as const

/**
 * A window's webPreferences: the checklist above, the preload script (absolute path), and DevTools only in
 * development — `isPackaged` is Electron's `app.isPackaged`; `devTools: false` also stops openDevTools().
 */
export function windowWebPreferences(isPackaged: boolean, preload: string) {
  return { ...secureWebPreferences, devTools: !isPackaged, preload }
}
