// The value of a core request as the renderer gets it ({ ok, value } or { ok: false, error }), for tests that expect success.

/** `p`'s value when the core answered ok; else throws an Error whose message is the error as JSON. */
export async function ok<T = unknown>(p: Promise<unknown>): Promise<T> {
  const r = (await p) as { ok: boolean; value?: unknown; error?: unknown }
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.value as T
}
