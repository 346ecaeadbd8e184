// The cross-domain frame (xframe_ref.md, Cross_domainIFRAME.md): a page of the pool that a browser application on
// another origin embeds and talks to with postMessage; the frame sends the HTTP request to its pool and posts the answer back.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { SimError } from '../http/errors'
import type { Ctx, RouteConfig } from '../http/server'

/** Where the root and user resources' `xframe` link points (RootURL.md, CreateAnApplication.md). */
export const XFRAME = '/Autodiscover/XFrame/XFrame.html'

/**
 * Every path a page gives the frame: the link's, lyncdiscover's `/xframe` (the Referer in CreateAnApplication.md) and
 * `root/xframe` (xframe_ref.md's GET); each also in lower case, as IIS matches paths without regard to case.
 */
export const XFRAME_PATHS = [...new Set([XFRAME, '/xframe', '/autodiscover/autodiscoverservice.svc/root/xframe'].flatMap((p) => [p, p.toLowerCase()]))]

const cfg: { config: RouteConfig } = { config: { resource: 'xframe' } }

/**
 * The frame's script. A message is the JSON string Cross_domainIFRAME.md shows, `{ request: { type, url, accepts,
 * contentType, data, headers, cache, processData, xhrFields, messageId } }` (the bare request object is taken too).
 * From an origin outside the allow list nothing happens and nothing is posted back. Otherwise the request goes to this
 * pool (only this pool: the frame is no open relay) with `X-Ms-Origin` naming the embedding origin and
 * `X-Requested-With: XMLHttpRequest`, as in CreateAnApplication.md's requests, and the answer is posted back to that
 * origin as the JSON string of `{ status, statusText, responseText, headers, messageId }`.
 */
const script = (allowed: string[]): string => `
'use strict';
var allowed = ${JSON.stringify(allowed).replace(/</g, '\\u003c')};
function answer(event, messageId, xhr) {
  event.source.postMessage(JSON.stringify({
    status: xhr ? xhr.status : 0,
    statusText: xhr ? xhr.statusText : 'error',
    responseText: xhr ? xhr.responseText : '',
    headers: xhr ? xhr.getAllResponseHeaders() : '',
    messageId: messageId
  }), event.origin);
}
window.addEventListener('message', function (event) {
  if (allowed.indexOf(event.origin) < 0 || !event.source) return;
  var message;
  try { message = typeof event.data === 'string' ? JSON.parse(event.data) : event.data; } catch (e) { return; }
  var request = message && typeof message.request === 'object' && message.request !== null ? message.request : message;
  if (!request || typeof request.url !== 'string') return;
  var url;
  try { url = new URL(request.url, location.href); } catch (e) { return answer(event, request.messageId, null); }
  if (url.origin !== location.origin) return answer(event, request.messageId, null);
  var method = String(request.type || 'GET').toUpperCase();
  var body = request.data === undefined || request.data === null ? null : request.data;
  if (body !== null && typeof body !== 'string') {
    if (request.processData === false) body = JSON.stringify(body);
    else body = new URLSearchParams(body).toString();
  }
  if (body !== null && (method === 'GET' || method === 'HEAD')) {
    url.search += (url.search ? '&' : '?') + body;
    body = null;
  }
  if (request.cache === false && (method === 'GET' || method === 'HEAD')) url.searchParams.set('_', String(Date.now()));
  var xhr = new XMLHttpRequest();
  xhr.open(method, url.href, true);
  if (request.accepts) xhr.setRequestHeader('Accept', String(request.accepts));
  if (request.contentType && body !== null) xhr.setRequestHeader('Content-Type', String(request.contentType));
  var headers = request.headers && typeof request.headers === 'object' ? request.headers : {};
  for (var name in headers) {
    // the frame, not the page, says who is asking
    if (!Object.prototype.hasOwnProperty.call(headers, name) || /^(x-ms-origin|x-requested-with)$/i.test(name)) continue;
    xhr.setRequestHeader(name, String(headers[name]));
  }
  xhr.setRequestHeader('X-Ms-Origin', event.origin);
  xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
  var fields = request.xhrFields && typeof request.xhrFields === 'object' ? request.xhrFields : {};
  if ('withCredentials' in fields) xhr.withCredentials = !!fields.withCredentials;
  if (typeof fields.timeout === 'number') xhr.timeout = fields.timeout;
  xhr.onloadend = function () { answer(event, request.messageId, xhr); };
  xhr.send(body);
});
`

export function xframePage(allowed: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>XFrame</title></head><body><script>${script(allowed)}</script></body></html>`
}

/** The allow list, as origins (`scheme://host:port`); a malformed entry is dropped. */
function allowList(ctx: Ctx): string[] {
  return ctx.world.config.crossDomainAuthorizationList.flatMap((o) => {
    try {
      return [new URL(o).origin]
    } catch {
      return []
    }
  })
}

/**
 * A request made through the frame names the embedding page's origin in `X-Ms-Origin` (CreateAnApplication.md); the pool
 * answers only origins an administrator allowed (Cross_domainIFRAME.md, "Web application allow list"; on a real pool
 * Set-CsWebServiceConfiguration -CrossDomainAuthorizationList). The pages do not say how a pool refuses the others: this
 * one answers 403 with UCWA's Forbidden code (ErrorCode_ref.md). Throws SimError(403) for an origin not on the list.
 */
export function checkCrossDomainOrigin(ctx: Ctx, req: FastifyRequest): void {
  const claimed = req.headers['x-ms-origin']
  if (claimed === undefined) return
  if (!allowList(ctx).includes(String(claimed))) throw new SimError(403, undefined, 'The origin is not in the cross-domain authorization list.', 'Forbidden')
}

export function registerXFrame(server: FastifyInstance, ctx: Ctx): void {
  for (const path of XFRAME_PATHS) {
    // xframe_ref.md: a text/html page; no X-Frame-Options, since being framed by other origins is its purpose
    server.get(path, cfg, (_req, reply) => reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-cache').send(xframePage(allowList(ctx))))
  }
}
