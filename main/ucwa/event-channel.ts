// The event-channel loop (EventChannelDetails.md): one P-GET outstanding, the next issued before a
// response is processed, responses processed strictly in order; next/resume/resync; PGetReplaced stops;
// a lost application is recreated; network failures and 5xx back off (capped, jittered) and retry the
// same URL, so the pool resends what was not acknowledged and nothing is lost. A page Parley cannot read is
// such a failure too (counted, warned), until MAX_MALFORMED_PAGES in a row; a refused token is renewed once.
import { couldNotReachPool, UcwaError, userMessage } from './errors'
import type { EventsPage } from './events'
import { MAX_BYTES, type UcwaHttp } from './http'
import { StateMachine } from './state-machine'
import { refusalOf, refusedAgainError, type Refusal } from './token-refusal'

/** this many unreadable pages in a row (truncated, not UCWA, nested too deep) end the channel */
export const MAX_MALFORMED_PAGES = 5

/** Something the loop survived but that tests and logs should see. */
export interface ChannelWarning {
  /** BadResponse/MalformedEvents for a page that could not be read */
  error: UcwaError
  /** the URL asked, which is asked again */
  href: string
  /** unreadable pages in a row so far, this one included */
  consecutive: number
}

export type ChannelState = 'idle' | 'polling' | 'backoff' | 'recovering' | 'replaced' | 'stopped'

const table: Record<ChannelState, ChannelState[]> = {
  idle: ['polling', 'stopped'],
  polling: ['backoff', 'recovering', 'replaced', 'stopped'],
  backoff: ['polling', 'recovering', 'stopped'],
  recovering: ['polling', 'backoff', 'stopped'],
  replaced: ['stopped', 'polling'],
  stopped: [],
}

export interface ChannelHandlers {
  /** events of one response, in order; the next response waits for this one */
  onEvents(page: EventsPage): Promise<void> | void
  /** `resync` or `resume`: transient state (conversations, invitations) is gone; `cause`: the application was lost */
  onTransientStateLost(why: 'resync' | 'resume', cause?: UcwaError): Promise<void> | void
  /** the application is gone (404): make a new one; returns its events link */
  recover(error: UcwaError): Promise<string>
  /** the token was refused (401, or 403 InvalidToken) mid-session: get a new token or throw */
  reauthenticate(refusal: Refusal): Promise<void>
  onReplaced(): void
  onState?(state: ChannelState, detail?: UcwaError): void
  onWarning?(warning: ChannelWarning): void
}

export interface ChannelOptions {
  /** P-GET timeout the pool holds an empty channel for, seconds (180..1800) */
  timeout?: number
  backoff?: { baseMs: number; capMs: number }
  random?: () => number
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true })
  })

export class EventChannelLoop {
  readonly machine = new StateMachine<ChannelState>('event channel', 'idle', table)
  #abort = new AbortController()
  /** the in-flight P-GET alone: kick() drops it without stopping the loop */
  #request = new AbortController()
  #kicked = false
  #processing: Promise<void> = Promise.resolve()
  #failures = 0
  /** the longest time the channel spent failing before a page (or a new application) came, ms */
  longestRecoveryMs = 0
  #failingSince = 0
  /** unreadable pages in a row */
  #malformed = 0
  /** a token was renewed and no page has come since: a second refusal ends the loop */
  #renewed = false
  /** the last warnings (at most 32), newest last; `warningCount` counts them all */
  readonly warnings: ChannelWarning[] = []
  warningCount = 0
  readonly #timeout: number

  constructor(
    private readonly http: UcwaHttp,
    private readonly handlers: ChannelHandlers,
    private readonly options: ChannelOptions = {},
  ) {
    this.#timeout = options.timeout ?? 180
    this.machine.onChange((s) => handlers.onState?.(s))
  }

  get state(): ChannelState {
    return this.machine.state
  }

  /** Runs until stop(), PGetReplaced, or an unrecoverable error; resolves when the loop ends. */
  async run(firstHref: string): Promise<void> {
    let href = firstHref
    let sendParams = true // aggregation parameters are remembered by the pool until the channel is re-created
    this.machine.go('polling')
    while (this.state !== 'stopped' && this.state !== 'replaced') {
      let res
      this.#request = new AbortController()
      const stopAll = () => this.#request.abort()
      this.#abort.signal.addEventListener('abort', stopAll, { once: true })
      try {
        res = await this.http.send(href, {
          query: sendParams ? { timeout: this.#timeout } : undefined,
          timeoutMs: (this.#timeout + 30) * 1000,
          signal: this.#request.signal,
          maxBytes: MAX_BYTES.events,
        })
      } catch (e) {
        if ((this.state as ChannelState) === 'stopped') break
        if (this.#kicked) {
          this.#kicked = false // woken up: ask again at once, same URL, nothing lost
          continue
        }
        // a page over the cap is a page Parley cannot read, not a network fault: it counts toward the end
        if (e instanceof UcwaError && e.subcode === 'ResponseTooLarge') await this.#unreadable(href, e)
        else await this.#backoff(e as UcwaError)
        continue
      } finally {
        this.#abort.signal.removeEventListener('abort', stopAll)
      }
      if (res.status === 200) {
        let page: EventsPage
        try {
          page = this.http.parseEvents(res)
        } catch (e) {
          await this.#unreadable(href, e) // throws after too many in a row
          continue
        }
        if (!page.next && !page.resume && !page.resync) {
          // every events page links onward (EventChannelDetails.md); one that does not (a 100,000-deep JSON page parses
          // to nothing) is unreadable as well: warned, backed off, asked again
          await this.#unreadable(href, new UcwaError({ status: 200, code: 'BadResponse', message: 'The event channel answered without a next link.' }))
          continue
        }
        this.#malformed = 0
        this.#renewed = false
        this.#recovered()
        sendParams = false
        if (page.resync) {
          // only a resync link: our ack was out of range; rebuild, then follow it
          await this.#inOrder(() => this.handlers.onTransientStateLost('resync'))
          href = page.resync
          continue
        }
        if (page.resume) sendParams = true
        href = (page.next ?? page.resume)! // one of them: a page with only resync was followed above
        // the next P-GET goes out on the next turn of the loop while this response is processed
        void this.#inOrder(async () => {
          if (page.resume) await this.handlers.onTransientStateLost('resume')
          await this.handlers.onEvents(page)
        })
        continue
      }
      const error = this.http.errorBody(res)
      const ucwa = new UcwaError({ status: res.status, code: String(error?.code ?? res.status), subcode: typeof error?.subcode === 'string' ? error.subcode : undefined, message: String(error?.message ?? '') })
      if (res.status === 409 && ucwa.subcode === 'PGetReplaced') {
        this.machine.go('replaced')
        this.handlers.onReplaced()
        break
      }
      if (res.status === 404 && (ucwa.subcode === 'ApplicationNotFound' || ucwa.subcode === 'InactiveApplicationExpired')) {
        this.#failingSince ||= Date.now()
        this.machine.go('recovering')
        this.handlers.onState?.('recovering', ucwa)
        try {
          await this.#inOrder(() => this.handlers.onTransientStateLost('resume', ucwa))
          href = await this.handlers.recover(ucwa)
          sendParams = true
          this.#recovered() // a new application: the channel is back
        } catch (e) {
          // the pool refuses a new application (4xx: CannotRedirect, TooManyApplications…): it will not come back
          if (e instanceof UcwaError && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429) {
            this.stop()
            throw e
          }
          await this.#backoff(e as UcwaError)
        }
        continue
      }
      const refusal = refusalOf(res)
      if (refusal) {
        this.#failingSince ||= Date.now()
        if (this.#renewed) {
          this.stop() // the renewed token was refused too: asking again would loop forever
          throw refusedAgainError(refusal)
        }
        this.#renewed = true
        try {
          await this.handlers.reauthenticate(refusal)
        } catch (e) {
          if (couldNotReachPool(e)) {
            this.#renewed = false // the renewal itself could not reach the pool: try it again later
            await this.#backoff(e)
            continue
          }
          this.stop()
          throw e
        }
        continue
      }
      await this.#backoff(ucwa)
    }
    await this.#processing
  }

  /** After sleep the parked P-GET's connection is likely dead: drop it and ask again now. */
  kick(): void {
    if (this.state !== 'polling') return
    this.#kicked = true
    this.#request.abort()
  }

  stop(): void {
    if (this.state === 'stopped') return
    this.machine.go('stopped')
    this.#abort.abort()
  }

  /** A 200 page Parley cannot read: warn, back off, ask the same URL again (the pool resends it); too many in a row end the loop. */
  async #unreadable(href: string, e: unknown): Promise<void> {
    const error = new UcwaError({ status: 200, code: 'BadResponse', subcode: 'MalformedEvents', message: userMessage('BadResponse'), debugInfo: { cause: e instanceof UcwaError ? e.code : String(e) } })
    const warning = { error, href, consecutive: ++this.#malformed }
    this.warnings.push(warning)
    if (this.warnings.length > 32) this.warnings.shift()
    this.warningCount++
    this.handlers.onWarning?.(warning)
    if (this.#malformed >= MAX_MALFORMED_PAGES) {
      this.stop()
      throw new UcwaError({ status: 200, code: 'BadResponse', subcode: 'MalformedEvents', message: userMessage('BadResponse', 'MalformedEvents') })
    }
    await this.#backoff(error)
  }

  #inOrder(fn: () => Promise<void> | void): Promise<void> {
    this.#processing = this.#processing.then(fn).catch(() => {})
    return this.#processing
  }

  #recovered(): void {
    if (this.#failingSince) this.longestRecoveryMs = Math.max(this.longestRecoveryMs, Date.now() - this.#failingSince)
    this.#failingSince = 0
    this.#failures = 0
    if (this.state === 'backoff' || this.state === 'recovering') this.machine.go('polling')
  }

  async #backoff(error: UcwaError): Promise<void> {
    if (this.state === 'stopped') return
    this.#failingSince ||= Date.now()
    this.machine.go('backoff')
    this.handlers.onState?.('backoff', error)
    const { baseMs, capMs } = this.options.backoff ?? { baseMs: 500, capMs: 30_000 }
    const ceiling = Math.min(capMs, baseMs * 2 ** this.#failures++)
    const delay = Math.round((this.options.random ?? Math.random)() * ceiling) // full jitter
    await (this.options.sleep ?? defaultSleep)(delay, this.#abort.signal)
    if (this.state === 'backoff') this.machine.go('polling')
  }
}
