// The media worker behind the bridging agent: started on first use, started again after it died, warmed, stopped.
import type { MediaWorker } from './media-worker-host'

export class WorkerSlot {
  #worker: MediaWorker | null = null

  constructor(
    private readonly start: () => MediaWorker,
    private readonly log?: (message: string) => void,
  ) {}

  /** The running worker; a new one when there is none or it died (a worker that died took only its calls with it). Throws what starting it throws. */
  get(): MediaWorker {
    if (!this.#worker?.alive) {
      this.#worker = this.start()
      this.#worker.log = this.log
    }
    return this.#worker
  }

  /** The worker while it runs, else null: for what needs no new worker (closing a call, asking for its sources). */
  get running(): MediaWorker | null {
    return this.#worker?.alive ? this.#worker : null
  }

  /** Starts the worker unless it runs and has it keep pool legs gathered (spare-legs.ts). Never throws: a failure is logged. */
  warm(): void {
    const failed = (e: unknown) => this.log?.(`media bridge: could not prepare for the next call: ${e instanceof Error ? e.message : String(e)}`)
    // a worker that cannot even start (no worker threads where the core runs) must not fail the call that warms it
    try {
      this.get().warm().catch(failed)
    } catch (e) {
      failed(e)
    }
  }

  async stop(): Promise<void> {
    await this.#worker?.stop()
    this.#worker = null
  }
}
