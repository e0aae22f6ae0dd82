/**
 * The user the SDK logs in to a guest as.
 *
 * @module
 */

/** The fields of a guest that decide its SSH login. */
interface SshLoginGuest {
  /** VM or container. */
  readonly type: 'qemu' | 'lxc';
  /** The guest's SSH access. */
  readonly ssh: { readonly user?: string | undefined };
  /** A VM's cloud-init login. */
  readonly cloudInit?: { readonly user?: string | undefined } | undefined;
}

/**
 * The user the SDK logs in as: the declared one, else the user that holds the guest's keys (`root` in a container,
 * whose `ssh-public-keys` go to root's `authorized_keys`; the cloud-init user of a VM, `debian` in Debian's cloud
 * images when none is declared).
 *
 * @param guest - A validated guest.
 * @returns The user name.
 */
export function sshLoginUser(guest: SshLoginGuest): string {
  if (guest.ssh.user) return guest.ssh.user;
  return guest.type === 'lxc' ? 'root' : (guest.cloudInit?.user ?? 'debian');
}
