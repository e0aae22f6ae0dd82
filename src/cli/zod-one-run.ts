/**
 * zod set up for a CLI run, which parses one topology (or one artifact set) once.
 *
 * @module
 */
import { config } from '../models/zod.js';

/**
 * Turns zod's JIT off for this process: the JIT compiles a `new Function` per object schema on its first parse, which
 * costs more than it saves when each schema parses once. Without it the built-in example validates in about 10 ms
 * instead of 30 ms (Node 24). Only the CLI calls this; library users keep zod's default.
 */
export function configureZodForOneRun(): void {
  config({ jitless: true });
}
