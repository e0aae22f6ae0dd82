/**
 * Seeded fault injection: which calls fail with `UNAVAILABLE` or `DEADLINE_EXCEEDED`, and whether a failing write
 * still took effect (a lost response).
 *
 * @module
 */
import { seededRandom } from '../seeded-random.js';

/** Fault knobs of the emulator. */
export interface OmniFaults {
  /** Share of calls (0..1) answered with `UNAVAILABLE`. */
  readonly unavailableRate?: number;
  /** Share of calls (0..1) answered with `DEADLINE_EXCEEDED`. */
  readonly deadlineExceededRate?: number;
  /** Delay added to every unary call and to the start of every stream (List, Watch), in milliseconds. */
  readonly latencyMs?: number;
  /**
   * Share of failing unary calls (0..1) whose effect is applied before the error is returned, as when a response is
   * lost on the way back. Defaults to 0.5.
   */
  readonly lostResponseRate?: number;
  /**
   * Faults on every call of the named methods (full gRPC method, e.g.
   * `/management.ManagementService/CreateServiceAccount`), whatever the rates draw.
   */
  readonly methods?: Readonly<
    Record<
      string,
      {
        /** The status answered. */
        readonly kind: 'unavailable' | 'deadline-exceeded';
        /** Whether a unary write takes effect before the error is returned (a lost response). Defaults to `false`. */
        readonly afterEffect?: boolean;
      }
    >
  >;
}

/** What happens to one call. */
type FaultDecision =
  { readonly kind: 'none' } | { readonly kind: 'unavailable' | 'deadline-exceeded'; readonly afterEffect: boolean };

/** Decides faults from a seeded generator, so a run with the same seed and call order fails the same calls. */
export class FaultInjector {
  #faults: OmniFaults;
  #random: () => number;

  /**
   * @param faults - The knobs.
   * @param seed - Seed of the generator.
   */
  constructor(faults: OmniFaults, seed: number) {
    this.#faults = faults;
    this.#random = seededRandom(seed);
  }

  /** The current knobs. */
  get faults(): OmniFaults {
    return this.#faults;
  }

  /**
   * Replaces the knobs (the generator keeps its sequence).
   *
   * @param faults - The new knobs.
   */
  set(faults: OmniFaults): void {
    this.#faults = faults;
  }

  /**
   * Draws the fate of the next call.
   *
   * @param canApplyEffect - Whether the call is a unary write whose effect can precede the error.
   * @param method - The full gRPC method, for {@link OmniFaults.methods}.
   * @returns The decision.
   */
  next(canApplyEffect: boolean, method: string): FaultDecision {
    const targeted = this.#faults.methods?.[method];
    if (targeted) return { kind: targeted.kind, afterEffect: canApplyEffect && (targeted.afterEffect ?? false) };
    const draw = this.#random();
    const unavailable = this.#faults.unavailableRate ?? 0;
    const deadline = this.#faults.deadlineExceededRate ?? 0;
    if (draw >= unavailable + deadline) return { kind: 'none' };
    const afterEffect = canApplyEffect && this.#random() < (this.#faults.lostResponseRate ?? 0.5);
    return { kind: draw < unavailable ? 'unavailable' : 'deadline-exceeded', afterEffect };
  }
}
