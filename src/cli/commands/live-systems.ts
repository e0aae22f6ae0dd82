/**
 * The commands that read or change the live systems across targets: `plan` and `apply` (`target.ts`), `drift` and
 * `destroy`. The build makes them one script (`commands/live-systems.cjs`): they share nearly all their code, the
 * clients and the orchestration, so the package holds it once, and the code cache a `plan` leaves serves the `apply`
 * that follows it.
 *
 * @module
 */
export { runDestroy } from './destroy.js';
export { runDrift } from './drift.js';
export { runTarget } from './target.js';
