/**
 * Host key verification the way OpenSSH does it: a pinned `SHA256:` fingerprint (`ssh-keygen -l`), or the host's
 * lines in a `known_hosts` file (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT": plain or `|1|salt|hash` hashed host
 * patterns, `[host]:port` for ports other than 22, `@revoked` markers; `@cert-authority` lines are not used here).
 *
 * @module
 */
import { createHash, createHmac } from 'node:crypto';

/** How a host's key is checked. */
export type HostKeyPolicy =
  | {
      /** Pinned fingerprint, `SHA256:…`. */
      readonly fingerprint: string;
    }
  | {
      /** The text of a `known_hosts` file. */
      readonly knownHosts: string;
      /** Its path, for messages. */
      readonly file: string;
    };

/** What the verifier decided about the key a host presented. */
export interface HostKeyDecision {
  /** Whether the connection may continue. */
  readonly accepted: boolean;
  /**
   * `known` (pinned or listed), `unknown` (known_hosts has no key for the host: trust on first use may accept it),
   * `changed` (another key is pinned or listed) or `revoked`.
   */
  readonly status: 'known' | 'unknown' | 'changed' | 'revoked';
  /** The presented key's fingerprint, `SHA256:…`. */
  readonly fingerprint: string;
  /** Why it was refused, or how it was accepted. */
  readonly reason: string;
}

/**
 * The OpenSSH fingerprint of a public key blob (`sshkey_fingerprint` with SHA-256: unpadded base64).
 *
 * @param blob - The key in SSH wire format.
 * @returns `SHA256:…`.
 */
export function hostKeyFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The host field of `known_hosts` for a host and port: `host`, or `[host]:port` off port 22. */
function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Whether one comma-separated host pattern list (plain or hashed) names the host. */
function hostMatches(patterns: string, name: string): boolean {
  if (patterns.startsWith('|1|')) {
    const [, , salt = '', hash = ''] = patterns.split('|');
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return patterns.split(',').includes(name);
}

/**
 * Checks the key a host presented against the policy. Never throws: a malformed file simply matches nothing.
 *
 * @param policy - Pinned fingerprint, known_hosts text, or trust on first use.
 * @param host - The address dialled.
 * @param port - The port dialled.
 * @param blob - The presented key in SSH wire format.
 * @returns Whether to continue, the fingerprint, and why.
 */
export function verifyHostKey(policy: HostKeyPolicy, host: string, port: number, blob: Buffer): HostKeyDecision {
  const fingerprint = hostKeyFingerprint(blob);
  if ('fingerprint' in policy) {
    return policy.fingerprint === fingerprint
      ? { accepted: true, status: 'known', fingerprint, reason: 'pinned fingerprint' }
      : {
          accepted: false,
          status: 'changed',
          fingerprint,
          reason: `host key ${fingerprint} is not the pinned ${policy.fingerprint}`,
        };
  }
  const name = knownHostName(host, port);
  const presented = blob.toString('base64');
  // A @revoked key "must not ever be accepted" (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT), wherever its line stands.
  let known = false;
  let listed = false;
  for (const raw of policy.knownHosts.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    const [patterns = '', , key = ''] = fields;
    if (!hostMatches(patterns, name) || marker === '@cert-authority') continue;
    if (marker === '@revoked') {
      if (key === presented) {
        return {
          accepted: false,
          status: 'revoked',
          fingerprint,
          reason: `host key ${fingerprint} is revoked in ${policy.file}`,
        };
      }
      continue;
    }
    if (key === presented) listed = true;
    else known = true;
  }
  if (listed) return { accepted: true, status: 'known', fingerprint, reason: `known in ${policy.file}` };
  return {
    accepted: false,
    status: known ? 'changed' : 'unknown',
    fingerprint,
    reason: known
      ? `host key ${fingerprint} differs from the one ${policy.file} holds for ${name} (possible man-in-the-middle, or the host was reinstalled)`
      : `${name} is not in ${policy.file}; pin its fingerprint (ssh.hostKey.fingerprint) or add it with ssh-keyscan after checking ${fingerprint}`,
  };
}
