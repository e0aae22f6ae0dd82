import type { Rule, RuleFinding } from './rule.js';

/**
 * The Omni infra provider should verify the Proxmox API's certificate: with `insecureSkipVerify` it sends its API
 * token to whatever answers at the address. Its config (omni-infra-provider-proxmox `internal/pkg/config/config.go`:
 * `url`, `username`, `password`, `realm`, `tokenID`, `tokenSecret`, `insecureSkipVerify`) has no CA-file or
 * fingerprint option, so the way out is a certificate the provider already trusts. The provider is a Go program, and
 * Go's `crypto/x509` (`root_unix.go`, `loadSystemRoots`) reads the first default bundle file, or `SSL_CERT_FILE`
 * instead of it, plus every certificate in the default directories, or in `SSL_CERT_DIR` instead of them: a folder
 * holding the cluster's CA named by `SSL_CERT_DIR` adds it and keeps the image's bundle (which Omni's certificate
 * needs), where `SSL_CERT_FILE` would replace the bundle. Or the nodes get a publicly trusted certificate (ACME).
 */
export const providerTlsVerifyRule: Rule = {
  id: 'provider-tls-verify',
  severity: 'warning',
  description: 'The Omni infra provider verifies the certificate of the Proxmox API it logs in to.',
  check(topology) {
    const findings: RuleFinding[] = [];
    for (const [id, provider] of Object.entries(topology.providers)) {
      if (!provider.proxmoxAccess.insecureSkipVerify) continue;
      findings.push({
        path: `providers.${id}.proxmoxAccess.insecureSkipVerify`,
        message:
          `provider ${id} accepts any certificate from Proxmox cluster ${provider.cluster}, so anyone on the path ` +
          'can take its API token. The provider config has no CA-file or fingerprint option: give the provider ' +
          "the cluster's CA (/etc/pve/pve-root-ca.pem) in a folder named by SSL_CERT_DIR, which Go adds to its roots, or " +
          'give the nodes a publicly trusted certificate (Datacenter > ACME), then set insecureSkipVerify to false',
      });
    }
    return findings;
  },
};
