// After `changeset version` (npm run version-packages): writes the version package.json now gives into the files that
// name the released version themselves — SDK_VERSION (recorded in every manifest.json), and the topology JSON Schema's
// URL pinned to the version (TOPOLOGY_SCHEMA_URL, the README and the YAML example's first line). The previous version
// is the one SDK_VERSION still names. Runs in the working directory (the repository root).
import { readFileSync, writeFileSync } from 'node:fs';

/** The files that name the package version, each with the text around the version that finds it there. */
const VERSIONED_FILES = [
  ['src/generators/sdk-version.ts', (version) => `SDK_VERSION = '${version}'`],
  ['src/models/json-schema.ts', (version) => `@talos-sdk/topology@${version}/`],
  ['README.md', (version) => `@talos-sdk/topology@${version}/`],
  ['examples/spaceships/topology.yaml', (version) => `@talos-sdk/topology@${version}/`],
];

/** Stops with a message naming the file, without a stack trace. */
function fail(message) {
  console.error(`sync-version: ${message}`);
  process.exit(1);
}

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const previous = /SDK_VERSION = '([^']+)'/.exec(readFileSync(VERSIONED_FILES[0][0], 'utf8'))?.[1];
if (!previous) fail(`${VERSIONED_FILES[0][0]}: no SDK_VERSION = '<version>' found`);
for (const [file, around] of VERSIONED_FILES) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(around(previous))) fail(`${file}: "${around(previous)}" not found`);
  writeFileSync(file, text.replaceAll(around(previous), around(version)));
}
console.log(previous === version ? `version ${version} unchanged` : `version ${previous} -> ${version}`);
