// What to tell a person whose keychain did not answer: what is missing and how to fix it, in plain words.

/** `platform`: process.platform; `detail`: the keychain library's error, kept at the end for a helpdesk. */
export function keychainAdvice(platform: string, detail: string): string {
  const fix =
    platform === 'darwin'
      ? 'Parley could not use the macOS Keychain, so it cannot remember your sign-in. Open Keychain Access, unlock your login keychain, then restart Parley.'
      : platform === 'win32'
        ? 'Parley could not use Windows Credential Manager, so it cannot remember your sign-in. Make sure the Credential Manager service is running (services.msc), then restart Parley.'
        : 'Parley found no keychain (a Secret Service such as GNOME Keyring or KWallet), so it cannot remember your sign-in. Install GNOME Keyring (the gnome-keyring package) or KWallet, make sure it is unlocked when you log in, then restart Parley.'
  return `${fix} Until then you sign in each time Parley starts. (Details: ${detail.slice(0, 200)})`
}
