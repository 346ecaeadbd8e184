// Windows toasts for incoming calls. Electron emits no button events for Windows toasts, so Accept and
// Decline are parley://alert links: Windows starts the app with the link, the single-instance lock hands
// it to the running one. Each link carries a one-time key, so no web page can answer a call for you.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { Alert } from './incoming-alerts'
import { escapeXml } from '../ucwa/xml-escape'
import { plainText } from './notification-text'

export type AlertAction = 'accept' | 'decline' | 'open'
export type AlertLinks = Record<AlertAction, string>

const ALERT_LINK = /^parley:\/\/alert\/(accept|decline|open)\?call=([0-9a-f-]{36})&key=([0-9a-f]{32})$/

export class ToastLinks {
  readonly #keys = new Map<string, Buffer>()

  issue(callId: string): AlertLinks {
    const key = randomBytes(16)
    this.#keys.set(callId, key)
    const at = (action: AlertAction) => `parley://alert/${action}?call=${encodeURIComponent(callId)}&key=${key.toString('hex')}`
    return { accept: at('accept'), decline: at('decline'), open: at('open') }
  }

  /** The action a link asks for, if it is one we issued for a call still alerting; Accept and Decline once. */
  take(raw: string): { callId: string; action: AlertAction } | null {
    const m = ALERT_LINK.exec(raw)
    if (!m) return null
    const [, action, callId, hex] = m as unknown as [string, AlertAction, string, string]
    const key = this.#keys.get(callId)
    if (!key || !timingSafeEqual(key, Buffer.from(hex, 'hex'))) return null
    if (action !== 'open') this.#keys.delete(callId)
    return { callId, action }
  }

  /** the call stopped ringing: its links are dead */
  forget(callId: string): void {
    this.#keys.delete(callId)
  }
}

/** XML 1.0 text: markup escaped, characters XML cannot carry dropped, long names cut (toasts have a size limit). */
function xmlText(s: string, max = 200): string {
  return escapeXml(plainText(s, max))
}

/** An incoming-call toast: stays up and rings like a phone (scenario incomingCall), Accept and Decline buttons. */
export function incomingCallToastXml(alert: Alert, links: AlertLinks): string {
  return [
    `<toast scenario="incomingCall" activationType="protocol" launch="${xmlText(links.open, 400)}">`,
    '<visual><binding template="ToastGeneric">',
    `<text hint-maxLines="1">${xmlText(alert.title)}</text>`,
    `<text>${xmlText(alert.body)}</text>`,
    '</binding></visual>',
    '<audio src="ms-winsoundevent:Notification.Looping.Call" loop="true"/>',
    '<actions>',
    `<action content="Accept" activationType="protocol" arguments="${xmlText(links.accept, 400)}"/>`,
    `<action content="Decline" activationType="protocol" arguments="${xmlText(links.decline, 400)}"/>`,
    '</actions>',
    '</toast>',
  ].join('')
}

/** The first alert link in a command line (Windows passes the activated link as an argument). */
export function alertFromArgv(argv: readonly string[], links: ToastLinks): { callId: string; action: AlertAction } | null {
  for (const arg of argv.slice(1)) {
    const hit = links.take(arg)
    if (hit) return hit
  }
  return null
}
