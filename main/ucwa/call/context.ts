// What the call engine's parts share: the session, the media agent, the operations' deadlines, the calls, the log.
import type { UcwaClient } from '../client'
import type { Operations } from '../operations'
import type { CallBook } from './book'
import type { MediaAgent } from './media-agent'

export interface CallContext {
  readonly client: UcwaClient
  readonly media: MediaAgent
  readonly ops: Operations
  readonly book: CallBook
  /** the protocol log (redacted as the client's: hrefs and codes, never a token) */
  readonly log: (message: string) => void
}
