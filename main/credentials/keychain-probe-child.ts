// The probe process (out/main/keychain-probe.js): one keytar lookup, one JSON line on stdout, exit.
// Runs under plain Node (child_process) or as Electron's utilityProcess; either way a native crash ends only it.
import keytarModule from 'keytar'

const service = process.argv[2] ?? ''
const keytar = (keytarModule as unknown as { default?: typeof keytarModule }).default ?? keytarModule
const reply = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`, () => process.exit(0))

keytar.findCredentials(service).then(
  () => reply({ ok: true }),
  (e: unknown) => reply({ ok: false, error: e instanceof Error ? e.message : String(e) }),
)
