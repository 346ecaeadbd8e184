// Protocol state as explicit machines: states are string unions, the allowed moves one table.
export class IllegalTransition extends Error {
  readonly code = 'IllegalTransition'
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: cannot go from ${from} to ${to}`)
  }

  toApiError() {
    return { kind: 'validation' as const, code: this.code, message: `That is not possible while the ${this.machine} is ${this.from}.` }
  }
}

export class StateMachine<S extends string> {
  #state: S
  readonly #listeners = new Set<(to: S, from: S) => void>()

  constructor(
    readonly name: string,
    initial: S,
    private readonly table: Readonly<Record<S, readonly S[]>>,
  ) {
    this.#state = initial
  }

  get state(): S {
    return this.#state
  }

  can(to: S): boolean {
    return this.table[this.#state].includes(to)
  }

  /** Moves to `to`, or throws IllegalTransition and stays where it was. */
  go(to: S): void {
    if (to === this.#state) return
    if (!this.can(to)) throw new IllegalTransition(this.name, this.#state, to)
    const from = this.#state
    this.#state = to
    for (const l of this.#listeners) l(to, from)
  }

  onChange(listener: (to: S, from: S) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
