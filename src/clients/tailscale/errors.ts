/** The node holding an address. */
export interface AddressHolder {
  /** MagicDNS name. */
  readonly name: string;
  /** Node id. */
  readonly id: string;
}

/**
 * A node cannot get its declared tailnet IPv4 because another node holds it: typically the same sidecar's earlier
 * node, left behind when its state volume was lost and it joined again. Nothing the SDK may do on its own fixes it
 * (deleting a node is a person's call), so apply stops and names the other node.
 */
export class TailscaleAddressConflictError extends Error {
  /** The declared address. */
  readonly address: string;
  /** The node that holds it. */
  readonly holder: AddressHolder;

  /**
   * @param message - What is wrong and what to do.
   * @param address - The declared address.
   * @param holder - The node that holds it.
   */
  constructor(message: string, address: string, holder: AddressHolder) {
    super(message);
    this.name = 'TailscaleAddressConflictError';
    this.address = address;
    this.holder = holder;
  }
}
