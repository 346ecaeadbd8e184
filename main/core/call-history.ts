// The call history of each account, kept in the data folder (one file per account) so it outlasts a restart.
import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as v from 'valibot'
import { HistoryEntry, PastConversation, type CallHistory as History } from '../../preload/contract'

/** what is kept of one account: newest first, at most MAX_ENTRIES; missed calls after seenAt are unseen; the last
 *  MAX_CONVERSATIONS conversations with messages (issue #21; files written before have none) */
const Stored = v.object({ entries: v.array(HistoryEntry), seenAt: v.number(), conversations: v.optional(v.array(PastConversation), []) })
type Stored = v.InferOutput<typeof Stored>
export const MAX_ENTRIES = 200
export const MAX_CONVERSATIONS = 50

/** `kept` with `list` added or updated (by id): newest activity first, at most MAX_CONVERSATIONS. */
export function withConversations(kept: PastConversation[], list: PastConversation[]): PastConversation[] {
  const ids = new Set(list.map((c) => c.id))
  return [...list, ...kept.filter((x) => !ids.has(x.id))].sort((a, b) => b.lastActivity - a.lastActivity).slice(0, MAX_CONVERSATIONS)
}

export class CallHistoryStore {
  #account: string | null = null
  #data: Stored = { entries: [], seenAt: 0, conversations: [] }
  #saving: Promise<void> = Promise.resolve()

  /** `dir`: the data folder's history folder; null keeps history in memory (tests, no data folder) */
  constructor(private readonly dir: string | null) {}

  /** Switches to an account's history (its SIP URI), reading it from disk; null: nobody signed in. */
  async open(account: string | null): Promise<void> {
    if (account === this.#account) return
    this.#account = account
    this.#data = { entries: [], seenAt: 0, conversations: [] }
    if (!account || !this.dir) return
    try {
      const parsed = v.safeParse(Stored, JSON.parse(await readFile(this.#file(account), 'utf8')))
      // a file this version cannot read is left alone, not lost: it is written again only after a new call
      if (parsed.success && this.#account === account) this.#data = parsed.output
    } catch {
      // no history yet
    }
  }

  get current(): History {
    const { entries, seenAt } = this.#data
    return { entries, unseenMissed: entries.filter((e) => e.outcome === 'missed' && e.startedAt > seenAt).length }
  }

  /** Adds an ended call (for the account signed in when it ended) and saves. */
  async add(entry: HistoryEntry): Promise<History> {
    this.#data.entries = [entry, ...this.#data.entries.filter((e) => e.id !== entry.id)].slice(0, MAX_ENTRIES)
    await this.#save()
    return this.current
  }

  /** the account's last conversations, newest activity first */
  get conversations(): PastConversation[] {
    return this.#data.conversations
  }

  /** Adds or updates conversations (by id) and saves them in one write; none: no write. */
  async addConversations(list: PastConversation[]): Promise<void> {
    if (!list.length) return
    this.#data.conversations = withConversations(this.#data.conversations, list)
    await this.#save()
  }

  /** The person saw the history: missed calls so far stop counting. `now`: ms since the epoch. */
  async markSeen(now: number): Promise<History> {
    this.#data.seenAt = Math.max(now, ...this.#data.entries.map((e) => e.startedAt))
    await this.#save()
    return this.current
  }

  // the address is the pool's word: hashed, so no address can name a path
  #file(account: string): string {
    return join(this.dir!, `${createHash('sha256').update(account.toLowerCase()).digest('hex').slice(0, 32)}.json`)
  }

  #save(): Promise<void> {
    const account = this.#account
    if (!account || !this.dir) return Promise.resolve()
    const text = JSON.stringify(this.#data)
    const file = this.#file(account)
    // one write at a time, in order: the last call's entry is never overwritten by an older write
    const write = this.#saving.then(async () => {
      await mkdir(this.dir!, { recursive: true })
      const tmp = `${file}.${process.pid}.tmp`
      await writeFile(tmp, text, { mode: 0o600 })
      await rename(tmp, file)
    })
    this.#saving = write.catch(() => {}) // a failed write does not stop the next one
    return write
  }
}
