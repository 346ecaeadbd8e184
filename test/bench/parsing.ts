// Parsing throughput: the client's event parsers (JSON, XML) and the media engine's sdp-transform path.
import * as sdpTransform from 'sdp-transform'
import { eventsFromJson, eventsFromXml } from '../../main/ucwa/events'
import { capVideoBitrate } from '../../renderer/src/media/sdp'
import { eventsToJson, eventsToXml, type EventsBody } from '../simulator/http/resource'
import type { Row } from './report'
import { round } from './stats'

function perSecond(fn: () => void, ms = 1500): number {
  for (let i = 0; i < 200; i++) fn() // warm up
  let n = 0
  const end = performance.now() + ms
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) fn()
    n += 50
  }
  return n / (ms / 1000)
}

export async function parsingBench(): Promise<Row[]> {
  // a realistic response: an incoming call's ten events, resources embedded
  const body: EventsBody = {
    self: '/ucwa/oauth/v1/applications/1/events?ack=7',
    next: '/ucwa/oauth/v1/applications/1/events?ack=8',
    senders: [
      {
        rel: 'communication',
        href: '/ucwa/oauth/v1/applications/1/communication',
        events: Array.from({ length: 10 }, (_, i) => ({
          type: 'started' as const,
          link: { rel: 'audioVideoInvitation', href: `/ucwa/oauth/v1/applications/1/communication/invitations/${i}` },
          embedded: { rel: 'audioVideoInvitation', href: `/i/${i}`, props: { direction: 'Incoming', state: 'Connecting', subject: 'Budget review', importance: 'Normal', threadId: 'abc' }, links: { acceptWithAnswer: { href: `/i/${i}/acceptWithAnswer` }, decline: { href: `/i/${i}/decline` }, conversation: { href: '/c/1' } } },
        })),
      },
    ],
  }
  const json = JSON.stringify(eventsToJson(body))
  const xml = eventsToXml(body)
  const jsonRate = perSecond(() => eventsFromJson(JSON.parse(json)))
  const parseOnly = perSecond(() => JSON.parse(json))
  const xmlRate = perSecond(() => eventsFromXml(xml))
  const sdp = [
    'v=0', 'o=- 46117 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0 1',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux', 'a=rtpmap:111 opus/48000/2', 'a=fmtp:111 minptime=10;useinbandfec=1', 'a=candidate:1 1 udp 2113937151 127.0.0.1 51000 typ host',
    'm=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99', 'c=IN IP4 0.0.0.0', 'a=mid:1', 'a=sendrecv', 'a=rtcp-mux', 'a=rtpmap:96 VP8/90000', 'a=rtcp-fb:96 nack pli', 'a=rtpmap:97 rtx/90000', 'a=fmtp:97 apt=96', 'a=rtpmap:98 VP9/90000', 'a=rtpmap:99 rtx/90000', '',
  ].join('\r\n')
  const sdpRate = perSecond(() => capVideoBitrate(sdp, 2500))
  const sdpParseOnly = perSecond(() => sdpTransform.parse(sdp))
  const events = body.senders[0]!.events.length
  return [
    { suite: 'parsing', metric: 'event-channel JSON → typed events', value: Math.round((jsonRate * events) / 1000), unit: 'k events/s', baseline: { label: 'JSON.parse alone, same body', value: Math.round((parseOnly * events) / 1000) } },
    { suite: 'parsing', metric: 'event-channel XML → typed events', value: Math.round((xmlRate * events) / 1000), unit: 'k events/s', baseline: { label: 'the JSON path above', value: Math.round((jsonRate * events) / 1000) } },
    { suite: 'parsing', metric: 'SDP round trip (parse, edit b=AS, write) via sdp-transform', value: round(sdpRate / 1000, 1), unit: 'k/s', baseline: { label: 'parse alone', value: round(sdpParseOnly / 1000, 1) } },
  ]
}
