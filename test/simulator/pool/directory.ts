// The users of the simulated organisation, each homed on one pool.
export interface UserConfig {
  /** "alice@contoso.test" (no sip: prefix) */
  sip: string
  name: string
  password: string
  /** id of the home pool; defaults to the first */
  pool?: string
  title?: string
  department?: string
  company?: string
  workPhoneNumber?: string
  /** a simulated person the pool runs itself: "echo" returns your media, "answer" also joins conferences */
  bot?: 'echo' | 'answer'
}

export interface User extends Required<Omit<UserConfig, 'workPhoneNumber' | 'bot'>> {
  workPhoneNumber?: string
  bot?: 'echo' | 'answer'
  /** stable short id used in people/ hrefs */
  key: string
  uri: string
}

export const defaultDomain = 'contoso.test'

export function defaultUsers(domain = defaultDomain): UserConfig[] {
  return [
    { sip: `alice@${domain}`, name: 'Alice Ahlberg', password: 'alice-pass', title: 'Product Manager', department: 'Product' },
    { sip: `bob@${domain}`, name: 'Bob Brennan', password: 'bob-pass', title: 'Engineer', department: 'Engineering' },
    { sip: `carol@${domain}`, name: 'Carol Castillo', password: 'carol-pass', title: 'Designer', department: 'Design' },
    { sip: `dave@${domain}`, name: 'Dave Dubois', password: 'dave-pass', title: 'Sales Lead', department: 'Sales', pool: 'pool2' },
    { sip: `echo@${domain}`, name: 'Echo Test Service', password: 'echo-pass', title: 'Call me to see and hear yourself', bot: 'echo' },
    { sip: `erin@${domain}`, name: 'Erin Ellis', password: 'erin-pass', title: 'Answers every call', department: 'Support', bot: 'answer' },
  ]
}

export class Directory {
  readonly #bySip = new Map<string, User>()

  constructor(users: UserConfig[], defaultPool: string) {
    users.forEach((u, i) => {
      const sip = u.sip.replace(/^sip:/i, '').toLowerCase()
      this.#bySip.set(sip, {
        company: 'Contoso',
        title: '',
        department: '',
        ...u,
        sip,
        pool: u.pool ?? defaultPool,
        key: `u${i + 1}`,
        uri: `sip:${sip}`,
      })
    })
  }

  /** By SIP address, with or without "sip:", or by the bare user name the OAuth form may carry. */
  find(address: string): User | undefined {
    return this.#bySip.get(address.replace(/^sip:/i, '').trim().toLowerCase())
  }

  byKey(key: string): User | undefined {
    return [...this.#bySip.values()].find((u) => u.key === key)
  }

  all(): User[] {
    return [...this.#bySip.values()]
  }

  search(query: string, limit: number): User[] {
    const q = query.replace(/^sip:/i, '').trim().toLowerCase()
    return this.all()
      .filter((u) => u.name.toLowerCase().includes(q) || u.sip.includes(q))
      .slice(0, limit)
  }

  setHomePool(sip: string, pool: string): void {
    const u = this.find(sip)
    if (!u) throw new Error(`No user ${sip}`)
    u.pool = pool
  }
}
