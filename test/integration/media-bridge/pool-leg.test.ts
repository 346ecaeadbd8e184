// The pool leg on loopback: ICE per component, SDES-SRTP with and without MKI, RTCP on component 2, a wrong key a typed fault.
import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { RtpHeader, RtpPacket } from 'werift'
import { afterEach, describe, expect, it } from 'vitest'
import type { BridgeFault } from '../../../main/media-bridge/fault'
import { PoolLeg } from '../../../main/media-bridge/pool-leg'
import { newSdesKey, type SdesKey } from '../../../main/media-bridge/sdes'

const legs: PoolLeg[] = []
afterEach(async () => {
  await Promise.all(legs.splice(0).map((l) => l.close()))
})

function leg() {
  const got = { rtp: [] as Buffer[], rtcp: [] as Buffer[], faults: [] as BridgeFault[] }
  const l = new PoolLeg('127.0.0.1', { rtp: (p) => got.rtp.push(p), rtcp: (p) => got.rtcp.push(p), fault: (f) => got.faults.push(f) })
  legs.push(l)
  return { l, got }
}

function rtp(seq: number, payload = Buffer.from('hello sfb')): Buffer {
  return new RtpPacket(new RtpHeader({ version: 2, payloadType: 0, sequenceNumber: seq, timestamp: seq * 160, ssrc: 0x1234 }), payload).serialize()
}

/** RTCP receiver report with no blocks (RFC 3550 6.4.2): 8 bytes. */
function rr(ssrc: number): Buffer {
  const b = Buffer.alloc(8)
  b.writeUInt8(0x80, 0)
  b.writeUInt8(201, 1)
  b.writeUInt16BE(1, 2)
  b.writeUInt32BE(ssrc, 4)
  return b
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

async function connect(mux: boolean, keyA: SdesKey, keyB: SdesKey, bReceives: SdesKey = keyA) {
  const a = leg()
  const b = leg()
  const la = await a.l.open({ mux, controlling: true })
  const lb = await b.l.open({ mux, controlling: false })
  await Promise.all([a.l.start({ ...lb, rtcpMux: mux }, { send: keyA, receive: keyB }), b.l.start({ ...la, rtcpMux: mux }, { send: keyB, receive: bReceives })])
  return { a, b, la, lb }
}

describe('pool leg (SDES-SRTP over ICE on loopback)', () => {
  it('gives components 1 and 2 on their own ports without mux, carries RTP and RTCP both ways', async () => {
    const { a, b, la } = await connect(false, newSdesKey(1), newSdesKey(1))
    expect(la.candidates.map((c) => c.component)).toEqual([1, 2])
    expect(la.candidates[0]!.port).not.toBe(la.candidates[1]!.port)
    for (let i = 0; i < 5; i++) {
      a.l.sendRtp(rtp(i))
      b.l.sendRtp(rtp(100 + i))
    }
    a.l.sendRtcp(rr(0x1234))
    await until(() => b.got.rtp.length === 5 && a.got.rtp.length === 5 && b.got.rtcp.length === 1)
    expect(RtpPacket.deSerialize(b.got.rtp[0]!).payload.toString()).toBe('hello sfb')
    expect(b.got.rtcp[0]!.equals(rr(0x1234))).toBe(true)
  })

  it('with mux agreed, gives one component and carries RTCP on it', async () => {
    const { a, b, la } = await connect(true, newSdesKey(1), newSdesKey(1))
    expect(la.candidates.map((c) => c.component)).toEqual([1])
    a.l.sendRtcp(rr(7))
    a.l.sendRtp(rtp(1))
    await until(() => b.got.rtcp.length === 1 && b.got.rtp.length === 1)
  })

  it('with an MKI, every packet carries its bytes and decrypts on the other side', async () => {
    const keyA: SdesKey = { ...newSdesKey(1), mki: { value: 0x0102, length: 2 } }
    const { a, b } = await connect(false, keyA, newSdesKey(1))
    a.l.sendRtp(rtp(1))
    await until(() => b.got.rtp.length === 1)
    expect(RtpPacket.deSerialize(b.got.rtp[0]!).payload.toString()).toBe('hello sfb')
  })

  it('a wrong SDES key: nothing is delivered and the receiving leg reports SrtpAuthenticationFailed', async () => {
    const { a, b } = await connect(false, newSdesKey(1), newSdesKey(1), newSdesKey(1))
    for (let i = 0; i < 25; i++) a.l.sendRtp(rtp(i))
    await until(() => b.got.faults.length === 1)
    expect(b.got.rtp).toEqual([])
    expect(b.got.faults[0]).toMatchObject({ reason: 'SrtpAuthenticationFailed', code: 'LocalFailure', subcode: 'MediaFailure' })
  })

  it('garbage datagrams to the leg\'s port once media flows are dropped: no fault, no crash, media goes on', async () => {
    const { a, b, lb } = await connect(false, newSdesKey(1), newSdesKey(1))
    a.l.sendRtp(rtp(1))
    await until(() => b.got.rtp.length === 1)
    const socket = createSocket('udp4')
    const port = lb.candidates.find((c) => c.component === 1)!.port
    const junk = [Buffer.alloc(0), Buffer.from([0x80]), randomBytes(11), ...Array.from({ length: 40 }, (_, i) => Buffer.concat([rtp(500 + i), randomBytes(10)])), randomBytes(1400)]
    for (const j of junk) await new Promise<void>((r) => socket.send(j, port, '127.0.0.1', () => r()))
    socket.close()
    a.l.sendRtp(rtp(2))
    await until(() => b.got.rtp.length === 2)
    expect(b.got.faults).toEqual([])
  })

  it('a peer whose candidates answer no connectivity check: start rejects with IceFailed', async () => {
    const a = leg()
    await a.l.open({ mux: false, controlling: true })
    const silent = createSocket('udp4')
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()))
    const port = silent.address().port
    const remote = { ice: { ufrag: 'abcd', pwd: 'abcdefghijklmnopqrstuv' }, rtcpMux: false, candidates: [1, 2].map((component) => ({ foundation: '1', component, transport: 'udp' as const, priority: 2130706431, address: '127.0.0.1', port, type: 'host' as const })) }
    try {
      await expect(a.l.start(remote, { send: newSdesKey(1), receive: newSdesKey(1) }, 3000)).rejects.toMatchObject({ reason: 'IceFailed', code: 'LocalFailure', subcode: 'MediaFailure' })
    } finally {
      silent.close()
    }
  })

  it('the peer gone after ICE (no more consent answers, RFC 7675: 30 s) is a fault IceFailed', async () => {
    const { a, b } = await connect(false, newSdesKey(1), newSdesKey(1))
    a.l.sendRtp(rtp(1))
    await until(() => b.got.rtp.length === 1)
    await a.l.close()
    await until(() => b.got.faults.length === 1, 45_000)
    expect(b.got.faults[0]).toMatchObject({ reason: 'IceFailed', subcode: 'MediaFailure' })
  }, 60_000)
})
