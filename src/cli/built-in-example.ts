/** The name shown for the topology built into the CLI (`--example`), on every line of output about it. */
export const BUILT_IN_EXAMPLE = '(built-in spaceships example)';
