// The form UCWA's `to` parameters take (startAudioVideo_ref.md, startMessaging_ref.md, addParticipant_ref.md).

/** `name@company.com` or `sip:name@company.com` → `sip:name@company.com`. */
export function sipUri(address: string): string {
  return address.startsWith('sip:') ? address : `sip:${address}`
}
