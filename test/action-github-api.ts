/**
 * A fake of the part of GitHub's REST API the action uses, on loopback: an issue's comments listed a page at a time
 * with a Link header, created and edited. It follows GitHub's documented behaviour ("Using pagination in the REST
 * API", "REST API endpoints for issue comments"): `per_page` defaults to 30 and is capped at 100; a page that has a
 * next one carries `Link: <...page=N+1>; rel="next", <...page=LAST>; rel="last"` with absolute URLs, the last page no
 * `rel="next"`; a request without the right token gets 401 `{"message": "Bad credentials"}`; a body over 65,536
 * characters gets 422; comments are listed in ascending id order.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A comment as the fake stores it. */
export interface FakeComment {
  /** Its id. */
  readonly id: number;
  /** Its body. */
  body: string;
  /** Who wrote it. */
  readonly user: { readonly login: string };
}

/** One request the fake answered. */
export interface FakeRequest {
  /** The method. */
  readonly method: string;
  /** The path with its query. */
  readonly url: string;
  /** The status it answered. */
  readonly status: number;
}

/** The fake, running. */
export interface FakeGitHubApi {
  /** `http://127.0.0.1:<port>`, for GITHUB_API_URL. */
  readonly url: string;
  /** Every pull request's comments, by number. */
  readonly comments: Map<number, FakeComment[]>;
  /** The requests answered, in order. */
  readonly requests: FakeRequest[];
  /** Stops the server. */
  close(): Promise<void>;
}

const BODY_LIMIT = 65_536;

function send(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(value));
}

async function readBody(request: IncomingMessage): Promise<{ body?: unknown }> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text ? JSON.parse(text) : {};
}

/**
 * Starts the fake for one repository.
 *
 * @param repository - `owner/name`.
 * @param token - The only token it accepts (`Authorization: Bearer <token>` or `token <token>`).
 * @returns The running fake.
 */
export async function startFakeGitHubApi(repository: string, token: string): Promise<FakeGitHubApi> {
  const comments = new Map<number, FakeComment[]>();
  const requests: FakeRequest[] = [];
  let nextId = 1000;
  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
      const answer = (status: number, value: unknown, headers?: Record<string, string>): void => {
        requests.push({ method: request.method ?? '', url: `${url.pathname}${url.search}`, status });
        send(response, status, value, headers);
      };
      const authorization = request.headers.authorization ?? '';
      if (authorization !== `Bearer ${token}` && authorization !== `token ${token}`) {
        return answer(401, { message: 'Bad credentials' });
      }
      if (!request.headers['user-agent']) return answer(403, { message: 'Request forbidden: missing User-Agent' });
      const list = new RegExp(`^/repos/${repository}/issues/(\\d+)/comments$`).exec(url.pathname);
      const one = new RegExp(`^/repos/${repository}/issues/comments/(\\d+)$`).exec(url.pathname);
      if (list && request.method === 'GET') {
        const all = comments.get(Number(list[1])) ?? [];
        const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
        const page = Number(url.searchParams.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const pageUrl = (n: number): string => {
          const next = new URL(url);
          next.searchParams.set('page', String(n));
          return next.toString();
        };
        const link = page < last ? { link: `<${pageUrl(page + 1)}>; rel="next", <${pageUrl(last)}>; rel="last"` } : {};
        return answer(200, all.slice((page - 1) * perPage, page * perPage), link);
      }
      const { body } = await readBody(request);
      if (typeof body !== 'string') return answer(422, { message: 'Invalid request: body is missing' });
      if (body.length > BODY_LIMIT) return answer(422, { message: 'Validation Failed: body is too long' });
      if (list && request.method === 'POST') {
        const comment: FakeComment = { id: nextId++, body, user: { login: 'github-actions[bot]' } };
        comments.set(Number(list[1]), [...(comments.get(Number(list[1])) ?? []), comment]);
        return answer(201, {
          ...comment,
          html_url: `https://github.com/${repository}/pull/${list[1]}#issuecomment-${comment.id}`,
        });
      }
      if (one && request.method === 'PATCH') {
        const comment = [...comments.values()].flat().find((each) => each.id === Number(one[1]));
        if (!comment) return answer(404, { message: 'Not Found' });
        comment.body = body;
        return answer(200, { ...comment, html_url: `https://github.com/${repository}#issuecomment-${comment.id}` });
      }
      return answer(404, { message: 'Not Found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
