// The pool's cross-domain frame in Chromium: a web application on another origin embeds it and speaks UCWA through
// postMessage (Cross_domainIFRAME.md, CreateAnApplication.md); an origin outside the allow list gets nothing.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type Simulator } from '../simulator/index'
import { XFRAME, XFRAME_PATHS } from '../simulator/routes/xframe'

/** A web application's page: the hidden frame of Cross_domainIFRAME.md and a helper that sends one request through it. */
const appPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>app</title></head><body>
<iframe id="xFrame" src="about:blank" style="display:none;"></iframe>
<script>
window.received = [];
window.addEventListener('message', function (m) { window.received.push({ origin: m.origin, data: m.data }); }, false);
window.load = function (src) {
  return new Promise(function (done) {
    var frame = document.getElementById('xFrame');
    frame.onload = function () { done(); };
    frame.src = src;
  });
};
var next = 0;
/** posts the request as the page's sample does, JSON.stringify({ request }), and resolves with the parsed answer */
window.ucwa = function (request) {
  var id = ++next;
  request.messageId = { Id: id };
  var frame = document.getElementById('xFrame');
  frame.contentWindow.postMessage(JSON.stringify({ request: request }), new URL(frame.src).origin);
  return new Promise(function (done) {
    (function look() {
      for (var i = 0; i < window.received.length; i++) {
        var r = window.received[i];
        var body = typeof r.data === 'string' ? JSON.parse(r.data) : r.data;
        if (body && body.messageId && body.messageId.Id === id) return done({ origin: r.origin, response: body });
      }
      setTimeout(look, 20);
    })();
  });
};
</script></body></html>`

/** A loopback web server for the application's page (its own origin: another port). */
async function serveApp(host: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(appPage))
  await new Promise<void>((done) => server.listen(0, host, done))
  return { server, origin: `http://${host}:${(server.address() as AddressInfo).port}` }
}

interface Answer {
  origin: string
  response: { status: number; statusText: string; responseText: string; headers: string; messageId: { Id: number } }
}

const send = (page: Page, request: Record<string, unknown>): Promise<Answer> => page.evaluate((r) => (window as unknown as { ucwa(r: unknown): Promise<Answer> }).ucwa(r), request)

let sim: Simulator
let allowed: { server: Server; origin: string }
let other: { server: Server; origin: string }
let browser: Browser

beforeAll(async () => {
  allowed = await serveApp('127.0.0.1')
  other = await serveApp('127.0.0.1')
  sim = await startSimulator({ port: 0, seed: 3, config: { crossDomainAuthorizationList: [allowed.origin] } })
  browser = await chromium.launch({
    executablePath: resolve(import.meta.dirname, 'chromium-as-user.sh'),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
})
afterAll(async () => {
  await browser?.close()
  await sim?.close()
  for (const s of [allowed, other]) await new Promise((done) => s?.server.close(done))
})

async function open(origin: string, frame: string): Promise<Page> {
  const page = await browser.newPage()
  await page.goto(`${origin}/`)
  await page.evaluate((src) => (window as unknown as { load(s: string): Promise<void> }).load(src), frame)
  return page
}

describe('the cross-domain frame', () => {
  it('is served as HTML at every path the pages give it, and the root and user resources link it', async () => {
    for (const path of XFRAME_PATHS) {
      const res = await fetch(`${sim.pools[0]!.origin}${path}`)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type'), path).toMatch(/^text\/html/)
      expect(res.headers.get('x-frame-options'), path).toBeNull()
      expect(await res.text(), path).toContain(JSON.stringify([allowed.origin]))
    }
    const root = await (await fetch(sim.url, { headers: { Accept: 'application/json' } })).json()
    expect(root._links.xframe.href).toBe(`${sim.pools[0]!.origin}${XFRAME}`)
  })

  it('carries a whole sign-in for an allowed origin: root, challenge, token, user, application, me', async () => {
    const page = await open(allowed.origin, `${sim.url}xframe`) // lyncdiscover's frame first (CreateAnApplication.md's Referer)
    const root = await send(page, { type: 'get', url: sim.url, accepts: 'application/json', xhrFields: { withCredentials: true } })
    expect(root.origin).toBe(sim.pools[0]!.origin)
    expect(root.response).toMatchObject({ status: 200, statusText: 'OK', messageId: { Id: 1 } })
    expect(root.response.headers).toMatch(/content-type: application\/json/i)
    const links = JSON.parse(root.response.responseText)._links
    expect(links.xframe.href).toBe(`${sim.pools[0]!.origin}${XFRAME}`)

    // the frame the link names, from here on
    await page.evaluate((src) => (window as unknown as { load(s: string): Promise<void> }).load(src), links.xframe.href)
    const challenge = await send(page, { type: 'get', url: links.user.href, accepts: 'application/json' })
    expect(challenge.response.status).toBe(401)
    const tokenUrl = /MsRtcOAuth href="([^"]+)"/.exec(challenge.response.headers)![1]!
    const grant = await send(page, {
      type: 'post',
      url: tokenUrl,
      contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
      data: 'grant_type=password&username=alice%40contoso.test&password=alice-pass',
    })
    expect(grant.response.status).toBe(200)
    const auth = { Authorization: `Bearer ${JSON.parse(grant.response.responseText).access_token}` }
    const user = await send(page, { type: 'get', url: links.user.href, accepts: 'application/json', headers: auth })
    const applications = JSON.parse(user.response.responseText)._links.applications.href
    const created = await send(page, {
      type: 'post',
      url: applications,
      accepts: 'application/json',
      contentType: 'application/json',
      headers: auth,
      data: JSON.stringify({ UserAgent: 'XFrameTest/1.0', EndpointId: 'xframe-ep', Culture: 'en-US' }),
    })
    expect(created.response.status).toBe(201)
    const app = JSON.parse(created.response.responseText)
    const me = await send(page, { type: 'get', url: new URL(app._embedded.me._links.self.href, sim.url).href, accepts: 'application/xml', headers: auth, cache: false })
    expect(me.response.status).toBe(200)
    expect(me.response.responseText).toContain('<property name="uri">sip:alice@contoso.test</property>')
    expect(me.origin).toBe(sim.pools[0]!.origin)
    // the requests named the application's origin: take it off the pool's list and the same frame gets 403
    sim.control.world.config.crossDomainAuthorizationList = []
    const refused = await send(page, { type: 'get', url: new URL(app._embedded.me._links.self.href, sim.url).href, accepts: 'application/json', headers: auth })
    expect(refused.response.status).toBe(403)
    // a page cannot name another origin for itself
    sim.control.world.config.crossDomainAuthorizationList = [allowed.origin, other.origin]
    const posing = await send(page, { type: 'get', url: sim.url, accepts: 'application/json', headers: { 'X-Ms-Origin': other.origin } })
    expect(posing.response.status).toBe(200)
    sim.control.world.config.crossDomainAuthorizationList = [other.origin]
    expect((await send(page, { type: 'get', url: sim.url, accepts: 'application/json', headers: { 'X-Ms-Origin': other.origin } })).response.status).toBe(403)
    expect(JSON.parse(refused.response.responseText)).toMatchObject({ code: 'Forbidden' })
    sim.control.world.config.crossDomainAuthorizationList = [allowed.origin]
    // and it is no open relay: a URL off the pool is not requested
    const elsewhere = await send(page, { type: 'get', url: `${other.origin}/`, accepts: 'text/html' })
    expect(elsewhere.response).toMatchObject({ status: 0, responseText: '' })
    await page.close()
  })

  it('answers nothing to an origin outside the allow list', async () => {
    const frame = `${sim.pools[0]!.origin}${XFRAME}`
    const [outside, inside] = [await open(other.origin, frame), await open(allowed.origin, frame)]
    const request = { type: 'get', url: sim.url, accepts: 'application/json' }
    // the same frame, the same request: the allowed page gets its answer...
    const [, answered] = await Promise.all([outside.evaluate((r) => void (window as unknown as { ucwa(r: unknown): Promise<unknown> }).ucwa(r), request), send(inside, request)])
    expect(answered.response.status).toBe(200)
    // ...within milliseconds; the other page, given three seconds more, gets nothing at all
    await outside.waitForTimeout(3000)
    expect(await outside.evaluate(() => (window as unknown as { received: unknown[] }).received)).toEqual([])
    await Promise.all([outside.close(), inside.close()])
  })

  it('refuses a request that names a disallowed origin in X-Ms-Origin, with a UCWA error', async () => {
    const res = await fetch(sim.url, { headers: { Accept: 'application/json', 'X-Ms-Origin': other.origin } })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ code: 'Forbidden' })
    expect((await fetch(sim.url, { headers: { Accept: 'application/json', 'X-Ms-Origin': allowed.origin } })).status).toBe(200)
  })
})
