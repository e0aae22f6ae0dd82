/**
 * The SSH host emulator: `ssh2`'s server with exec and SFTP on a temporary root, and a fake `docker`.
 *
 * @module
 */
export type {
  DockerInvocation,
  FakeContainer,
  FakeDocker,
  FakeDockerOptions,
  FakeServiceState,
  InstallableDocker,
} from './fake-docker.js';
export { startFakeDocker } from './fake-docker.js';
export type { SshKeyPair } from './key-pair.js';
export { generateSshKeyPair } from './key-pair.js';
export type { SshEmulator, SshEmulatorOptions, SshEmulatorRecord } from './server.js';
export { opensshFingerprint, startSshEmulator } from './server.js';
