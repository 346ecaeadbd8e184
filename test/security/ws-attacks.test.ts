// A local process attacks the browser-mode core's WebSocket: the one socket is closed, the core keeps serving.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { createInterface } from 'node:readline'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { CallSnapshot } from '../../preload/contract'
import { WS_PATH } from '../../preload/wire'
import { createApi } from '../../renderer/src/api/client'
import { createWsBridge } from '../../renderer/src/api/ws-bridge'

let child: ChildProcess
let origin: string
let key: string
let discoveryUrl: string
let port: number
const stderr: string[] = []

beforeAll(async () => {
  const root = resolve(import.meta.dirname, '../..')
  child = spawn(process.execPath, ['--import', 'tsx', 'test/support/browser-core-process.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()))
  const line = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout! }).once('line', ok)
    child.once('exit', (code) => fail(new Error(`the core exited (${code}) before it started: ${stderr.join('')}`)))
  })
  const started = JSON.parse(line) as { url: string; discoveryUrl: string }
  const url = new URL(started.url)
  origin = url.origin
  port = Number(url.port)
  key = new URLSearchParams(url.hash.slice(1)).get('key')!
  discoveryUrl = started.discoveryUrl
}, 60_000)
afterAll(() => {
  child?.kill('SIGTERM')
})

const alive = () => child.exitCode === null && child.signalCode === null

function upgradeRequest(k: string): string {
  return [
    `GET ${WS_PATH}?key=${encodeURIComponent(k)} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    `Origin: ${origin}`,
    '',
    '',
  ].join('\r\n')
}

/** An upgraded raw socket: what arrives after the 101 goes to `frames`. */
async function upgraded(): Promise<{ socket: Socket; received: () => Buffer; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1')
  let buffer = Buffer.alloc(0)
  socket.on('data', (d: Buffer) => (buffer = Buffer.concat([buffer, d])))
  socket.on('error', () => {})
  const closed = new Promise<void>((ok) => socket.once('close', () => ok()))
  await new Promise<void>((ok) => socket.once('connect', ok))
  socket.write(upgradeRequest(key))
  await expect.poll(() => buffer.indexOf('\r\n\r\n'), { timeout: 10_000 }).toBeGreaterThan(0)
  const end = buffer.indexOf('\r\n\r\n') + 4
  expect(buffer.subarray(0, end).toString()).toMatch(/^HTTP\/1\.1 101 /)
  const head = end
  return { socket, received: () => buffer.subarray(head), closed }
}

/** A frame as RFC 6455 §5.2 lays it out; `declaredLength` lies about the payload's length. */
function frame(o: { opcode: number; payload?: Buffer; fin?: boolean; rsv1?: boolean; masked?: boolean; declaredLength?: bigint }): Buffer {
  const payload = o.payload ?? Buffer.alloc(0)
  const length = o.declaredLength ?? BigInt(payload.length)
  const masked = o.masked ?? true
  const head = [((o.fin ?? true) ? 0x80 : 0) | (o.rsv1 ? 0x40 : 0) | o.opcode]
  let ext = Buffer.alloc(0)
  if (length < 126n) head.push((masked ? 0x80 : 0) | Number(length))
  else if (length < 65536n) {
    head.push((masked ? 0x80 : 0) | 126)
    ext = Buffer.alloc(2)
    ext.writeUInt16BE(Number(length))
  } else {
    head.push((masked ? 0x80 : 0) | 127)
    ext = Buffer.alloc(8)
    ext.writeBigUInt64BE(length)
  }
  if (!masked) return Buffer.concat([Buffer.from(head), ext, payload])
  const mask = randomBytes(4)
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))
  return Buffer.concat([Buffer.from(head), ext, mask, body])
}

const closeCode = (code: number) => {
  const b = Buffer.alloc(2)
  b.writeUInt16BE(code)
  return b
}

describe('the browser-mode core under attack from a local process', () => {
  it('survives upgrades with a wrong key whose connections are reset', async () => {
    for (let i = 0; i < 8; i++) {
      const socket = connect(port, '127.0.0.1')
      socket.on('error', () => {})
      await new Promise<void>((ok) => socket.once('connect', ok))
      socket.write(upgradeRequest('wrong-key'))
      socket.resetAndDestroy() // RST while the core answers 403
      await new Promise((r) => setTimeout(r, 30))
    }
    // a request target that is not a URL path, with no key at all
    for (const target of ['//', '/\\', '//[']) {
      const raw = connect(port, '127.0.0.1')
      let answer = ''
      raw.on('data', (d) => (answer += d.toString()))
      raw.on('error', () => {})
      await new Promise<void>((ok) => raw.once('connect', ok))
      raw.write(upgradeRequest('x').replace(/^GET \S+ /, `GET ${target} `))
      await expect.poll(() => answer, { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 403 /)
      raw.destroy()
    }
    // and a refused one that stays to read its answer gets 403
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    socket.on('data', (d) => (answer += d.toString()))
    await new Promise<void>((ok) => socket.once('connect', ok))
    socket.write(upgradeRequest('wrong-key'))
    await expect.poll(() => answer, { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 403 /)
    socket.destroy()
    await new Promise((r) => setTimeout(r, 300))
    expect(alive(), stderr.join('')).toBe(true)
  })

  // each malformed frame closes its socket with the status RFC 6455 §7.4.1 gives it
  const attacks: Array<[string, Buffer, number]> = [
    ['a length over the limit', frame({ opcode: 2, declaredLength: 2n ** 40n }), 1009],
    ['invalid UTF-8 in a text frame', frame({ opcode: 1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }), 1007],
    ['a reserved opcode', frame({ opcode: 3, payload: Buffer.from('x') }), 1002],
    ['RSV1 set with no extension', frame({ opcode: 1, rsv1: true, payload: Buffer.from('{}') }), 1002],
    ['an unmasked client frame', frame({ opcode: 1, masked: false, payload: Buffer.from('{}') }), 1002],
    ['close code 999', frame({ opcode: 8, payload: closeCode(999) }), 1002],
    ['a fragmented ping', frame({ opcode: 9, fin: false, payload: Buffer.from('p') }), 1002],
    ['a stray continuation frame', frame({ opcode: 0, payload: Buffer.from('x') }), 1002],
  ]
  for (const [what, bytes, expected] of attacks) {
    it(`closes the socket on ${what} (${expected}) and stays up`, async () => {
      const { socket, received, closed } = await upgraded()
      socket.write(bytes)
      await closed
      const got = received()
      // the server's close frame: FIN + opcode 8, then the status code
      const at = got.findIndex((b, i) => b === 0x88 && i + 3 < got.length)
      expect(at, `a close frame in ${got.toString('hex')}`).toBeGreaterThanOrEqual(0)
      expect(got.readUInt16BE(at + 2)).toBe(expected)
      await new Promise((r) => setTimeout(r, 100))
      expect(alive(), stderr.join('')).toBe(true)
    })
  }

  it('still signs in and makes a call afterwards', async () => {
    const wsFrom = class extends WebSocket {
      constructor(url: string) {
        super(url, { origin })
      }
    } as unknown as typeof globalThis.WebSocket
    const api = createApi(createWsBridge(origin, key, wsFrom))
    await api.invoke('session.signIn', { sipAddress: 'alice@contoso.test', password: 'alice-pass', remember: false, discoveryUrl })
    const call = await api.invoke('calls.start', { to: 'echo@contoso.test' })
    await expect
      .poll(async () => ((await api.invoke('calls.list')) as CallSnapshot[]).find((c) => c.id === call.id)?.state, { timeout: 30_000 })
      .toBe('connected')
    await api.invoke('calls.hangUp', { callId: call.id })
    expect(alive()).toBe(true)
  }, 60_000)
})
