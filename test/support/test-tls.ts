// A throwaway CA and a server certificate for *.<domain> (and other domains), made with the openssl CLI into a temp dir (tests only).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TestTls {
  /** the CA the client is told to trust (PEM) */
  ca: string
  /** the server's key and certificate (PEM), valid for <domain> and *.<domain> */
  key: string
  cert: string
}

/** Makes a CA and a certificate for domain and *.domain (lyncdiscover.<domain>, pool1.<domain>, …), and each other domain alike, valid two days. */
export function makeTestTls(domain = 'contoso.test', ...others: string[]): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'parley-tls-'))
  const f = (name: string) => join(dir, name)
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  try {
    openssl('req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=Parley Test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
    openssl('req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', `/CN=${domain}`)
    const names = [domain, ...others].flatMap((d) => [`DNS:*.${d}`, `DNS:${d}`]).join(',')
    writeFileSync(f('ext.cnf'), `subjectAltName=${names}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`)
    openssl('x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '2', '-extfile', f('ext.cnf'))
    return { ca: readFileSync(f('ca.crt'), 'utf8'), key: readFileSync(f('server.key'), 'utf8'), cert: readFileSync(f('server.crt'), 'utf8') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
