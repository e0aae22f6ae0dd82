/**
 * The three parts of undici the HTTP clients use: `Agent`, `buildConnector` and the request call. They are loaded
 * from undici's own files, because undici's index also loads fetch, WebSocket, EventSource, cookies, caching and
 * mocking, and (through `globalThis.Headers`) Node's bundled copy of undici: 63–73 ms on Node 20 against 22–27 ms for
 * these files, spent before a command's first request. undici has no `exports` map, so the files resolve as they
 * are; should a later undici move them, the index is loaded instead (`test/undici-core.test.ts` compares the two).
 *
 * @module
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

/** What the clients take from undici. */
interface UndiciCore {
  readonly Agent: typeof Undici.Agent;
  readonly buildConnector: typeof Undici.buildConnector;
  readonly request: (
    this: Undici.Dispatcher,
    options: Undici.Dispatcher.RequestOptions,
  ) => Promise<Undici.Dispatcher.ResponseData>;
}

function loadCore(): UndiciCore {
  try {
    return {
      Agent: require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent,
      buildConnector: require('undici/lib/core/connect.js') as typeof Undici.buildConnector,
      request: require('undici/lib/api/api-request.js') as UndiciCore['request'],
    };
  } catch {
    const undici = require('undici') as typeof Undici;
    return { Agent: undici.Agent, buildConnector: undici.buildConnector, request: undici.Dispatcher.prototype.request };
  }
}

const core = loadCore();

/** undici's `Agent`. */
export const Agent = core.Agent;
/** undici's `buildConnector`. */
export const buildConnector = core.buildConnector;

/**
 * Sends one request through a dispatcher: undici's `dispatcher.request(options)`.
 *
 * @param dispatcher - The agent (or any undici dispatcher).
 * @param options - Origin, path, method, headers, body, signal and timeouts.
 * @returns Status, headers and the body stream.
 */
export function dispatchRequest(
  dispatcher: Undici.Dispatcher,
  options: Undici.Dispatcher.RequestOptions,
): Promise<Undici.Dispatcher.ResponseData> {
  return core.request.call(dispatcher, options);
}
