/**
 * The parts of zod the models use, re-exported one by one so that bundles (the CLI) keep only these and leave zod's
 * locales and unused schema kinds out: about 85 KB instead of 450 KB, which is start-up time.
 *
 * @module
 */
export {
  array,
  boolean,
  config,
  discriminatedUnion,
  email,
  enum,
  int,
  literal,
  looseObject,
  NEVER,
  number,
  object,
  preprocess,
  record,
  strictObject,
  string,
  toJSONSchema,
  union,
  unknown,
  url,
  uuid,
} from 'zod';
export type { core, input, output, RefinementCtx, ZodType } from 'zod';
