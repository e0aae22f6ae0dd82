/**
 * A node cannot get its declared tailnet IPv4 because another node holds it: typically the same sidecar's earlier
 * node, left behind when its state volume was lost and it joined again. Nothing the SDK may do on its own fixes it
 * (deleting a node is a person's call), so apply stops and names the other node.
 */
export class TailscaleAddressConflictError extends Error {
  /** The declared address. */
  readonly address: string;
  /** The node that holds it: MagicDNS name and id. */
  readonly holder: { readonly name: string; readonly id: string };

  /**
   * @param message - What is wrong and what to do.
   * @param address - The declared address.
   * @param holder - The node that holds it.
   */
  constructor(message: string, address: string, holder: { readonly name: string; readonly id: string }) {
    super(message);
    this.name = 'TailscaleAddressConflictError';
    this.address = address;
    this.holder = holder;
  }
}
