// Answers no pool should give, for clients' tests: a 3xx where a resource belongs, a body streamed slowly past any cap, any JSON.
import { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'

export interface RawAnswerInput {
  /** the route's resource name, as fault rules name it ("me", "events", "root"…); "*" for any */
  resource: string
  method?: string
  times?: number
  /** answer this redirect instead of the resource */
  redirect?: { status: 301 | 302 | 303 | 307 | 308; location: string }
  /** answer 200 with this JSON body */
  json?: unknown
  /** a 200 JSON body of about this many bytes, chunkBytes every everyMs as the connection takes them, with no Content-Length (counted, not announced) */
  stream?: { bytes: number; chunkBytes: number; everyMs: number; /** announce the length up front (Content-Length) */ announce?: boolean }
}

/** What a streamed answer got through before the client hung up (or the end). */
export interface StreamRecord {
  written: number
  finished: boolean
  /** resolves when the stream ended or the connection closed */
  closed: Promise<void>
}

const PREFIX = '{"_links":{"self":{"href":"/x"}},"pad":"'

interface Rule extends RawAnswerInput {
  times: number
  record: StreamRecord & { close: () => void }
}

export class RawAnswers {
  #rules: Rule[] = []

  add(input: RawAnswerInput): StreamRecord {
    let close = () => {}
    const closed = new Promise<void>((r) => (close = r))
    const record = { written: 0, finished: false, closed, close }
    this.#rules.push({ ...input, times: input.times ?? 1, record })
    return record
  }

  /** Answers the request when a rule matches (consumed once); false when none does. */
  answer(resource: string, method: string, reply: FastifyReply): boolean {
    const i = this.#rules.findIndex((r) => r.times > 0 && (r.resource === '*' || r.resource === resource) && (!r.method || r.method.toUpperCase() === method.toUpperCase()))
    if (i < 0) return false
    const rule = this.#rules[i]!
    if (--rule.times === 0) this.#rules.splice(i, 1)
    if (rule.redirect) {
      reply.code(rule.redirect.status).header('Location', rule.redirect.location).header('Content-Type', 'application/json').send('{}')
      return true
    }
    if (rule.json !== undefined) {
      reply.code(200).header('Content-Type', 'application/json; charset=utf-8').send(JSON.stringify(rule.json))
      return true
    }
    const s = rule.stream!
    const record = rule.record
    let timer: ReturnType<typeof setTimeout> | undefined
    // pulled, not pushed: `written` counts what the connection took, so a client that stops reading stops it
    const body = new Readable({
      read() {
        if (timer) return
        timer = setTimeout(() => {
          timer = undefined
          const n = Math.min(s.chunkBytes, s.bytes - record.written)
          if (n <= 0) {
            record.finished = true
            body.push('"}')
            body.push(null)
            return
          }
          record.written += n
          body.push('x'.repeat(n))
        }, s.everyMs)
      },
    })
    body.push(PREFIX)
    reply.raw.on('close', () => {
      clearTimeout(timer)
      record.close()
    })
    if (s.announce) reply.header('Content-Length', String(PREFIX.length + s.bytes + 2))
    reply.code(200).header('Content-Type', 'application/json; charset=utf-8').send(body)
    return true
  }
}
