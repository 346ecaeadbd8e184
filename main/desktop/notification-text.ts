// Notification text built from the pool's data (a caller's name, a subject): whatever a caller chose to be
// called must reach the person as that text, never as markup the notification server acts on.
import type { Alert } from './incoming-alerts'

/** characters no notification should carry: C0/C1 controls, bidi overrides/isolates (they let "exe.gnp" read as "png.exe"), lone surrogates, non-characters */
// eslint-disable-next-line no-control-regex
const UNSHOWABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/**
 * Text fit for any notification: unshowable characters dropped, line breaks and tabs made spaces, cut to
 * `max` code points (never inside a surrogate pair) with an ellipsis — toasts and bubbles have size limits.
 */
export function plainText(s: string, max = 200): string {
  const clean = s.replace(UNSHOWABLE, '').replace(/[\t\n\r\u2028\u2029]+/g, ' ')
  const points = [...clean]
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : clean
}

/**
 * Text for a freedesktop notification body: `&`, `<` and `>` as entities. The Desktop Notifications spec
 * lets a server with the "body-markup" capability read the body as a subset of HTML (b, i, u, a href, img),
 * and Electron hands the body to libnotify unchanged (shell/browser/notifications/linux/libnotify_notification.cc).
 * Not escapeXml: that markup is HTML-like, where `&apos;` is no entity, and quotes need none outside attributes.
 */
export function libnotifyBody(s: string): string {
  return plainText(s).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)
}

/**
 * An alert's title and body as a platform's notification server must be given them (`platform`: Node's
 * process.platform). Linux and the BSDs (libnotify): the body is markup (escaped), the summary plain text (the spec allows no markup
 * there); macOS: plain text; Windows: plain text, which Electron puts into its toast XML as text nodes (the
 * incoming-call toast whose XML we write ourselves is escaped in toast.ts).
 */
export function notificationText(alert: Pick<Alert, 'title' | 'body'>, platform: NodeJS.Platform): { title: string; body: string } {
  return { title: plainText(alert.title), body: platform === 'darwin' || platform === 'win32' ? plainText(alert.body) : libnotifyBody(alert.body) }
}
