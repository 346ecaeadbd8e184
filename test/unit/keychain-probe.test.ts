// probeKeychain's own rules, whatever the probe process does (the real keyring cases are in test/integration).
import { describe, expect, it } from 'vitest'
import { probeKeychain, type ProbeChild, type ProbeLauncher } from '../../main/credentials/keychain-probe'

/** A probe process that does what `script` tells it to, and records whether it was killed. */
function scripted(script: (output: (s: string) => void, exit: (code: number | null, signal: string | null) => void) => void): { launch: ProbeLauncher; killed: () => boolean; services: string[] } {
  let killed = false
  const services: string[] = []
  const launch: ProbeLauncher = (service) => {
    services.push(service)
    let onOutput: (s: string) => void = () => {}
    let onExit: (code: number | null, signal: string | null) => void = () => {}
    const child: ProbeChild = {
      onOutput: (l) => void (onOutput = l),
      onExit: (l) => void (onExit = l),
      kill: () => void (killed = true),
    }
    setTimeout(() => script((s) => onOutput(s), (c, s) => onExit(c, s)), 0)
    return child
  }
  return { launch, killed: () => killed, services }
}

const reason = (why: string) => ({ ok: false, reason: `The system keychain is not available (${why}); you will be asked to sign in again next time.` })

describe('probeKeychain', () => {
  it('passes the service name and takes an answer split across chunks', async () => {
    const p = scripted((out, exit) => (out('{"ok"'), out(':true}\n'), exit(0, null)))
    expect(await probeKeychain(p.launch, 'Parley (Skype for Business)', 10_000)).toEqual({ ok: true })
    expect(p.services).toEqual(['Parley (Skype for Business)'])
    expect(p.killed()).toBe(false)
  })

  it("keytar's error becomes the reason", async () => {
    const p = scripted((out) => out('{"ok":false,"error":"Cannot autolaunch D-Bus without X11 $DISPLAY"}\n'))
    expect(await probeKeychain(p.launch, 's', 10_000)).toEqual(reason('Cannot autolaunch D-Bus without X11 $DISPLAY'))
  })

  it('a crash, an exit with no answer, nonsense, a launch that throws: each a reason, never a rejection', async () => {
    expect(await probeKeychain(scripted((_o, exit) => exit(null, 'SIGSEGV')).launch, 's', 10_000)).toEqual(
      reason('the keychain crashed its check (SIGSEGV); a locked keyring with nothing to unlock it can do that'),
    )
    expect(await probeKeychain(scripted((_o, exit) => exit(1, null)).launch, 's', 10_000)).toEqual(reason('the keychain check ended with status 1 and no answer'))
    expect(await probeKeychain(scripted((out) => out('{oops\n')).launch, 's', 10_000)).toEqual(reason('the keychain check answered nonsense'))
    const throwing: ProbeLauncher = () => {
      throw new Error('spawn ENOENT')
    }
    expect(await probeKeychain(throwing, 's', 10_000)).toEqual(reason('the keychain check could not start: spawn ENOENT'))
  })

  it('silence: settles at the bound and kills the probe; a late answer changes nothing', async () => {
    let late: (s: string) => void = () => {}
    const p = scripted((out) => (late = out))
    const outcome = await probeKeychain(p.launch, 's', 300)
    expect(outcome).toEqual(reason('it did not answer within 300 ms'))
    expect(p.killed()).toBe(true)
    late('{"ok":true}\n')
  })
})
