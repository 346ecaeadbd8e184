// Signed update info: the sha512 of each artifact in latest*.yml comes from the update server, so a server
// (or whoever controls it) could name any file. Each release's info is therefore signed with Parley's release
// key (Ed25519); the public key ships inside the app, and electron-updater then checks the downloaded file
// against the signed sha512. build/sign-update-info.ts signs; verifyUpdateInfo checks.
import { createPublicKey, verify, type KeyObject } from 'node:crypto'

/**
 * Parley's release public key (Ed25519, SPKI PEM). The private half lives with the release owner only.
 * This one was generated for the change that introduced signing and its private half was not kept: until the
 * release owner replaces it with theirs (`tsx build/sign-update-info.ts --new-key`), every update is refused.
 */
export const RELEASE_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEARkgfv3g4m7nUwpJL8cNaaOeoapFNKornAXjZS+MEEtk=
-----END PUBLIC KEY-----
`

/** The fields of electron-builder's UpdateInfo (latest*.yml) a release signs. */
export interface SignedFields {
  version: string
  files: { url: string; sha512: string; size?: number }[]
}

/** A refused update: unsigned, signed by another key, or changed after signing. */
export class UpdateSignatureError extends Error {
  readonly code = 'ERR_UPDATE_SIGNATURE'
  override readonly name = 'UpdateSignatureError'
}

/**
 * The bytes a release signs: `{"version":…,"files":[{"url":…,"sha512":…,"size":…}]}` as UTF-8 JSON, fields in
 * that order. stagingPercentage and releaseNotes stay unsigned: they are edited on the server after release.
 */
export function signedUpdateBytes(info: SignedFields): Buffer {
  return Buffer.from(JSON.stringify({ version: info.version, files: info.files.map((f) => ({ url: f.url, sha512: f.sha512, size: f.size ?? null })) }), 'utf8')
}

/**
 * Checks the Ed25519 `signature` (base64, 64 bytes) of parsed update info against `publicKey` (PEM or
 * KeyObject). Throws UpdateSignatureError (code ERR_UPDATE_SIGNATURE) for anything but a valid signature over
 * well-formed fields; returns nothing otherwise. The info is the server's: every field is checked for type.
 */
export function verifyUpdateInfo(info: unknown, publicKey: string | KeyObject = RELEASE_PUBLIC_KEY): void {
  const fields = signedFieldsOf(info)
  const signature = (info as { signature?: unknown }).signature
  if (typeof signature !== 'string' || !/^[A-Za-z0-9+/]{86}==$/.test(signature)) throw new UpdateSignatureError('The update info carries no release signature.')
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey
  if (!verify(null, signedUpdateBytes(fields), key, Buffer.from(signature, 'base64')))
    throw new UpdateSignatureError('The update info is not signed by Parley’s release key (or was changed after signing).')
}

function signedFieldsOf(info: unknown): SignedFields {
  const bad = () => new UpdateSignatureError('The update info is malformed: a version and a list of files with url and sha512 are needed.')
  if (typeof info !== 'object' || info === null) throw bad()
  const { version, files } = info as { version?: unknown; files?: unknown }
  if (typeof version !== 'string' || !Array.isArray(files) || files.length === 0) throw bad()
  return {
    version,
    files: files.map((f: unknown) => {
      const { url, sha512, size } = (typeof f === 'object' && f !== null ? f : {}) as { url?: unknown; sha512?: unknown; size?: unknown }
      if (typeof url !== 'string' || typeof sha512 !== 'string' || (size !== undefined && typeof size !== 'number')) throw bad()
      return { url, sha512, ...(size !== undefined && { size }) }
    }),
  }
}
