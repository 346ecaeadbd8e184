// Users' photos (photo_ref.md, contactPhoto_ref.md): a small generated PNG per person, in the size asked ("HR64X64").
import { createHash } from 'node:crypto'
import { crc32, deflateSync } from 'node:zlib'
import type { User } from './directory'

/** HR{height}X{width}; the default HR48X48; kept to what Exchange serves (up to 648) */
export function photoSize(size: unknown): number {
  const m = /^HR(\d{1,3})X(\d{1,3})$/i.exec(typeof size === 'string' ? size : '')
  const n = m ? Math.min(Number(m[1]), Number(m[2])) : 48
  return Math.max(8, Math.min(648, n))
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'ascii')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
  return Buffer.concat([head, data, crc])
}

/** A square in the person's own colour with a lighter disc: enough to tell people apart in a list. */
export function photoPng(u: User, side: number): Buffer {
  const [r, g, b] = createHash('sha256').update(u.sip).digest()
  const bg = [64 + (r! % 128), 64 + (g! % 128), 64 + (b! % 128)]
  const fg = bg.map((c) => Math.min(255, c + 80))
  const raw = Buffer.alloc((side * 3 + 1) * side)
  const mid = (side - 1) / 2
  for (let y = 0; y < side; y++) {
    const row = y * (side * 3 + 1) // each row starts with filter type 0
    for (let x = 0; x < side; x++) {
      const c = (x - mid) ** 2 + (y - mid) ** 2 < (side / 3) ** 2 ? fg : bg
      raw.set(c, row + 1 + x * 3)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(side, 0)
  ihdr.writeUInt32BE(side, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, no interlace
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}
