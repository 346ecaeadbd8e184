// Signs the update info electron-builder writes (dist/latest*.yml, beta*.yml) with Parley's release key, so
// installed apps accept the release (main/desktop/update-signature.ts). Run after `npm run dist`, before upload:
//   npx tsx build/sign-update-info.ts --key ~/parley-release.pem dist/*.yml
//   npx tsx build/sign-update-info.ts --new-key ~/parley-release.pem   (once: prints the public key to ship)
import { generateKeyPairSync, sign } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { signedUpdateBytes, type SignedFields } from '../main/desktop/update-signature'

// the YAML parser electron-updater reads these files with (its dependency), so both read the same fields
const require = createRequire(import.meta.url)
const { load } = createRequire(require.resolve('electron-updater'))('js-yaml') as { load(text: string): unknown }

/** The yml text with a `signature:` line (base64 Ed25519 over signedUpdateBytes) in place of any earlier one. */
export function signUpdateInfoText(yml: string, privateKeyPem: string): string {
  const info = load(yml) as SignedFields
  const signature = sign(null, signedUpdateBytes(info), privateKeyPem).toString('base64')
  return `${yml.replace(/^signature:.*\n?/m, '').replace(/\n?$/, '\n')}signature: ${signature}\n`
}

function main(args: string[]): void {
  if (args[0] === '--new-key' && args[1]) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    writeFileSync(args[1], privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' })
    process.stdout.write(`Private key written to ${args[1]} (keep it offline). Put this in RELEASE_PUBLIC_KEY:\n${publicKey.export({ type: 'spki', format: 'pem' })}`)
    return
  }
  if (args[0] !== '--key' || !args[1] || args.length < 3) throw new Error('usage: sign-update-info.ts --key <private.pem> <latest.yml>… | --new-key <private.pem>')
  const key = readFileSync(args[1], 'utf8')
  for (const file of args.slice(2)) writeFileSync(file, signUpdateInfoText(readFileSync(file, 'utf8'), key))
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2))
