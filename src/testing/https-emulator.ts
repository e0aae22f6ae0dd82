import { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { injectLatency, RoundTripLog } from './round-trips.js';
import { seededRandom } from './seeded-random.js';

/**
 * Faults an emulator injects: random ones drawn from a seeded generator, so a test run is the same every time, and
 * chosen ones. Shared by the Proxmox and UniFi emulators.
 */
export interface FaultOptions {
  /**
   * Delay before every request is handled, in milliseconds: one network round trip (the Proxmox emulator adds it to
   * each task's duration too).
   */
  readonly latencyMs?: number;
  /** Share (0–1) of requests answered `503` without being processed. */
  readonly serverErrorRate?: number;
  /**
   * Share (0–1) of requests answered `504` after they were processed (the change happened, the answer says it did
   * not), as a proxy in front of the application does when the application answers late. Draws from the generator
   * only when set, so the other faults of a seed stay as they were.
   */
  readonly serverErrorAfterRate?: number;
  /**
   * Share (0–1) of requests whose connection is reset: half of them before the request is processed, half after
   * (the change happened, the answer is lost), which is what makes blind retries of creates dangerous.
   */
  readonly resetRate?: number;
  /** Seed of the fault generator. Defaults to 1. */
  readonly seed?: number;
  /**
   * Picks processed requests whose answer is lost (the connection is reset instead), on top of the random faults:
   * e.g. the first create of one object, to test recovery from exactly that.
   */
  readonly loseAnswer?: (request: EmulatorRequest) => boolean;
}

/** A request as an emulator's handler sees it. */
export interface EmulatorRequest {
  /** HTTP method. */
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  /** The query parameters. */
  readonly query: URLSearchParams;
  /** Request headers, names lower-case. */
  readonly headers: IncomingMessage['headers'];
  /** Form or JSON body fields (an empty object when there was no body; the parsed value for JSON arrays). */
  readonly body: unknown;
  /** The body as sent, for APIs that take other text (e.g. a HuJSON file with comments). */
  readonly rawBody: string;
}

/** An emulator's answer. */
export interface EmulatorReply {
  /** HTTP status. */
  readonly status: number;
  /** JSON body; no body at all when `undefined`. */
  readonly body: unknown;
  /** The reason phrase of the status line, e.g. Proxmox's error message; the standard phrase when absent. */
  readonly statusMessage?: string;
  /** Extra response headers. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** Sends a string `body` as is with this content type (e.g. `text/html`) instead of as JSON. */
  readonly contentType?: string;
}

/** The subject of an emulator's self-signed certificate, so that each emulator can be told apart by it. */
export interface CertificateSubject {
  /** Common name (CN). */
  readonly commonName: string;
  /** Organization (O). */
  readonly organizationName?: string;
}

/** Settings of {@link startHttpsEmulator} beyond its faults. */
export interface HttpsEmulatorOptions {
  /** The certificate's subject. Defaults to CN=127.0.0.1. */
  readonly subject?: CertificateSubject;
}

/** A running HTTPS emulator on 127.0.0.1. */
export interface HttpsEmulator {
  /** Its origin, `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** Its self-signed certificate, PEM: trust it as a CA. */
  readonly caPem: string;
  /** SHA-256 fingerprint of the certificate, `AB:CD:…`: pin it. */
  readonly fingerprint256: string;
  /** Every request served, faulted ones included. */
  readonly roundTrips: RoundTripLog;
  /** The fault settings in force. */
  readonly faults: FaultOptions;
  /** Replaces the fault settings and restarts the fault generator from their seed. */
  setFaults(faults: FaultOptions): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** A self-signed certificate and its key. */
export interface LocalCertificate {
  /** Private key, PEM. */
  readonly key: string;
  /** Certificate, PEM. */
  readonly cert: string;
  /** SHA-256 fingerprint, `AB:CD:…`. */
  readonly fingerprint256: string;
}

/**
 * Generates a self-signed certificate for 127.0.0.1 and localhost.
 *
 * @param subject - The certificate's subject. Defaults to CN=127.0.0.1.
 * @returns The key and certificate, PEM, and the certificate's SHA-256 fingerprint.
 */
export async function generateLocalCertificate(
  subject: CertificateSubject = { commonName: '127.0.0.1' },
): Promise<LocalCertificate> {
  const attributes = [{ name: 'commonName', value: subject.commonName }];
  if (subject.organizationName) attributes.push({ name: 'organizationName', value: subject.organizationName });
  const pems = await generate(attributes, {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert, fingerprint256: new X509Certificate(pems.cert).fingerprint256 };
}

/**
 * Starts an HTTPS server on 127.0.0.1 (random port) with a fresh self-signed certificate, injecting faults around
 * a handler.
 *
 * @param handler - Answers one request.
 * @param faults - Initial fault settings.
 * @param options - The certificate's subject.
 * @returns The running emulator.
 */
export async function startHttpsEmulator(
  handler: (request: EmulatorRequest) => EmulatorReply | Promise<EmulatorReply>,
  faults: FaultOptions = {},
  options: HttpsEmulatorOptions = {},
): Promise<HttpsEmulator> {
  const { key, cert, fingerprint256 } = await generateLocalCertificate(options.subject);
  let current = faults;
  let random = seededRandom(faults.seed ?? 1);
  const roundTrips = new RoundTripLog();
  const server = createServer({ key, cert }, (req, res) => {
    // Ended just before the answer is written (the client may send its next request before Node's own events about
    // this one run), or when the connection closes without one.
    const finish = roundTrips.start(`${req.method ?? ''} ${req.url ?? ''}`);
    res.on('close', finish);
    const answer = (reply: EmulatorReply): void => {
      finish();
      send(res, reply);
    };
    void serve(req, answer).catch(() => res.destroy());
  });

  async function serve(req: IncomingMessage, answer: (reply: EmulatorReply) => void): Promise<void> {
    const raw = await readBody(req);
    const [resetDraw, errorDraw, afterDraw] = [random(), random(), random()];
    // Drawn only when asked for, so that the fault sequence of every other setting stays as it was.
    const lateErrorDraw = current.serverErrorAfterRate ? random() : 1;
    const resetRate = current.resetRate ?? 0;
    if (resetDraw < resetRate && afterDraw < 0.5) return void req.socket.destroy();
    await injectLatency(current.latencyMs);
    if (errorDraw < (current.serverErrorRate ?? 0)) {
      return answer({ status: 503, body: { data: null, message: 'injected fault: service unavailable' } });
    }
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    const request: EmulatorRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: parseBody(raw, req.headers['content-type']),
      rawBody: raw,
    };
    const reply = await handler(request);
    if (resetDraw < resetRate || current.loseAnswer?.(request)) return void req.socket.destroy();
    if (lateErrorDraw < (current.serverErrorAfterRate ?? 0)) {
      return answer({ status: 504, body: { data: null, message: 'injected fault: gateway timeout' } });
    }
    answer(reply);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: cert,
    fingerprint256,
    roundTrips,
    get faults(): FaultOptions {
      return current;
    },
    setFaults(next: FaultOptions): void {
      current = next;
      random = seededRandom(next.seed ?? 1);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, reply: EmulatorReply): void {
  const raw = reply.contentType !== undefined && typeof reply.body === 'string';
  const text = reply.body === undefined ? '' : raw ? (reply.body as string) : JSON.stringify(reply.body);
  if (reply.statusMessage !== undefined) res.statusMessage = reply.statusMessage;
  res.writeHead(reply.status, {
    ...(reply.body === undefined
      ? {}
      : { 'content-type': raw ? reply.contentType! : 'application/json;charset=UTF-8' }),
    'content-length': Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return {};
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return { __invalid_json__: raw };
    }
  }
  return Object.fromEntries(new URLSearchParams(raw));
}
