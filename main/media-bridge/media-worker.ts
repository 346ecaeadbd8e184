// The media worker: every bridged call's packet path, off the thread that serves the window and the UCWA session.
import { parentPort } from 'node:worker_threads'
import { BridgeCall } from './bridge-call'
import { BridgeFault } from './fault'
import { SpareLegs } from './spare-legs'
import type { WorkerEvent, WorkerReply, WorkerRequest } from './worker-messages'

const port = parentPort
if (!port) throw new Error('media-worker.ts runs as a worker thread (see media-worker-host.ts).')

const calls = new Map<string, BridgeCall>()
/** pool legs gathered ahead of Parley's next own offer, once the host asked for them (warm) */
let spare: SpareLegs | null = null

function errorShape(e: unknown): NonNullable<WorkerReply['error']> {
  const x = e as { name?: string; code?: string; subcode?: string; message?: string; reason?: BridgeFault['reason']; declineReason?: string }
  return { name: x.name ?? 'Error', code: x.code ?? 'LocalFailure', ...(x.subcode && { subcode: x.subcode }), message: x.message ?? String(e), ...(x.reason && { reason: x.reason }), ...(x.declineReason && { declineReason: x.declineReason }) }
}

async function handle(r: WorkerRequest): Promise<unknown> {
  switch (r.op) {
    case 'answer': {
      const a = await newCall(r.call, r.measure).answer(r.offer)
      return { sfbAnswer: a.sfbAnswer, processedOfferId: a.processedOfferId, webrtcOffer: a.webrtcOffer, payloadMap: a.descriptions.payloadMap, ssrcMap: a.descriptions.ssrcMap, notices: a.notices }
    }
    case 'rendererAnswered':
      return await callOf(r.call).rendererAnswered(r.sdp)
    case 'offer': {
      const call = newCall(r.call, r.measure)
      return await call.offer(r.sdp, spare ? await spare.take() : null)
    }
    case 'warm':
      spare ??= new SpareLegs(new BridgeCall().host)
      return await spare.fill()
    case 'poolAnswered':
      return await callOf(r.call).poolAnswered(r.sdp)
    case 'reoffer':
      return await callOf(r.call).reoffer(r.sdp)
    case 'answerReoffer':
      return await callOf(r.call).answerReoffer(r.sdp)
    case 'rendererReanswered':
      return await callOf(r.call).rendererReanswered(r.sdp)
    case 'reofferSettled':
      // the pool's answer may come after the call's media ended: nothing to settle then
      calls.get(r.call)?.reofferSettled(r.accepted)
      return null
    case 'currentOffer':
      return callOf(r.call).currentOffer()
    case 'startPool':
      return await callOf(r.call).startPool()
    case 'videoSources':
      // the roster may name sources before this call's media exists, or after it ended: nothing to ask then
      calls.get(r.call)?.requestVideo(r.msis)
      return null
    case 'timings':
      return callOf(r.call).timings
    case 'close':
      await calls.get(r.call)?.close()
      return null
  }
}

function newCall(id: string, measure = false): BridgeCall {
  // a call asked for again under the same key replaces the old one: closed, or its legs would stay open unreachable
  void calls.get(id)?.close()
  const call = new BridgeCall({ measure, log: (log) => port!.postMessage({ log, call: id } satisfies WorkerEvent) })
  calls.set(id, call)
  call.ended((fault) => {
    if (calls.get(id) === call) calls.delete(id)
    if (fault) port!.postMessage({ ended: id, reason: fault.reason, message: fault.message } satisfies WorkerEvent)
  })
  return call
}

function callOf(id: string): BridgeCall {
  const c = calls.get(id)
  if (!c) throw new BridgeFault('RelayCrashed', 'That call\'s media has already ended.')
  return c
}

port.on('message', (r: WorkerRequest) => {
  handle(r).then(
    (result) => port.postMessage({ id: r.id, result } satisfies WorkerReply),
    (e: unknown) => port.postMessage({ id: r.id, error: errorShape(e) } satisfies WorkerReply),
  )
})
