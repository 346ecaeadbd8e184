// Draws Parley's tray and app icons as PNGs (no image tool needed): node build/make-icons.mjs
import { writeFileSync } from 'node:fs'
import { crc32, deflateSync } from 'node:zlib'

function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size)
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    for (let x = 0; x < size; x++) raw.set(pixel(x + 0.5, y + 0.5, size), y * (size * 4 + 1) + 1 + x * 4)
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body) >>> 0)
    return Buffer.concat([len, body, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 6, 0, 0, 0], 8)
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

// a speech bubble (the app) with a status dot (the state)
// my presence: Do not disturb is Busy's red with a bar across, Away (and Be right back) a hollow amber ring, Off work
// a hollow purple one; the bar and the hollow also tell them apart in macOS's one-colour template images
const states = {
  'signed-out': [138, 145, 158],
  available: [30, 158, 74],
  busy: [198, 40, 40],
  dnd: [198, 40, 40],
  away: [224, 168, 0],
  offwork: [136, 84, 168],
  incoming: [36, 87, 197],
  reconnecting: [224, 168, 0],
}
const marks = { dnd: 'bar', away: 'ring', offwork: 'ring' }

function draw(color, template, mark) {
  return (x, y, s) => {
    const c = s / 2
    const r = s * 0.42
    const dx = x - c
    const dy = y - c * 0.92
    const bubble = dx * dx + (dy * 1.15) ** 2 <= r * r || (x > s * 0.22 && x < s * 0.42 && y > s * 0.62 && y < s * 0.9 && x - s * 0.22 > (y - s * 0.62) * 0.6)
    const ddx = x - s * 0.76
    const ddy = y - s * 0.76
    const inDot = ddx * ddx + ddy * ddy <= (s * 0.2) ** 2
    const cut = (mark === 'bar' && Math.abs(ddy) < s * 0.05 && Math.abs(ddx) < s * 0.13) || (mark === 'ring' && ddx * ddx + ddy * ddy < (s * 0.1) ** 2)
    const dot = inDot && !cut
    if (inDot && cut) return template ? [0, 0, 0, 0] : [255, 255, 255, 255]
    if (template) return dot || bubble ? [0, 0, 0, 255] : [0, 0, 0, 0]
    if (dot) return [...color, 255]
    if (bubble) return [36, 87, 197, 255]
    return [0, 0, 0, 0]
  }
}

for (const [state, color] of Object.entries(states)) {
  writeFileSync(new URL(`./icons/tray-${state}.png`, import.meta.url), png(16, draw(color, false, marks[state])))
  writeFileSync(new URL(`./icons/tray-${state}@2x.png`, import.meta.url), png(32, draw(color, false, marks[state])))
  // macOS menu bar: template images (black + alpha, the OS tints them)
  writeFileSync(new URL(`./icons/tray-${state}Template.png`, import.meta.url), png(16, draw(color, true, marks[state])))
  writeFileSync(new URL(`./icons/tray-${state}Template@2x.png`, import.meta.url), png(32, draw(color, true, marks[state])))
}
writeFileSync(new URL('./icon.png', import.meta.url), png(512, draw(states.available, false)))
console.log('icons written to build/icons and build/icon.png')
