// The one pull-request comment the action keeps up to date, through GitHub's REST API: found by a hidden marker among
// the pull request's comments (every page), then edited in place, or created when there is none yet. A pull request
// is an issue to this API: its comments are listed at GET /repos/{owner}/{repo}/issues/{number}/comments, 30 a page
// by default and at most 100 (`per_page`), with the next page's URL in the Link header (rel="next") and no Link header
// on the last page (GitHub docs, "Using pagination in the REST API"); a comment is created with POST to the same path
// and edited with PATCH /repos/{owner}/{repo}/issues/comments/{comment_id} (GitHub docs, "REST API endpoints for issue
// comments"). The token goes in the Authorization header only and is never part of a message.
/* global fetch -- Node's own, from Node 18 on */

/** The hidden line that marks the action's own comment. */
export const COMMENT_MARKER = '<!-- talos-topology -->';

/** The `rel="next"` URL of a Link header, or undefined on the last page. */
function nextPage(link) {
  for (const part of (link ?? '').split(',')) {
    const match = /^\s*<([^>]+)>\s*;\s*rel="next"\s*$/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/** A failed request, saying what was asked and GitHub's own message (never the token, never the request headers). */
export class GitHubApiError extends Error {
  name = 'GitHubApiError';
}

/**
 * A small client of the REST API for one repository.
 *
 * @param {{ apiUrl: string, repository: string, token: string }} options - GITHUB_API_URL, GITHUB_REPOSITORY
 *   (`owner/name`) and the token.
 */
export function gitHubClient({ apiUrl, repository, token }) {
  const base = new URL(apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  const request = async (method, url, body) => {
    const target = new URL(url, base);
    // A Link header names where the next page is; the token goes nowhere but the API it was given for.
    if (target.origin !== base.origin) throw new GitHubApiError(`${method} ${target.pathname}: not on ${base.origin}`);
    let response;
    try {
      response = await fetch(target, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${token}`,
          'user-agent': 'talos-topology-action',
          'x-github-api-version': '2022-11-28',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      throw new GitHubApiError(`${method} ${target.pathname}: ${error.cause?.code ?? error.message}`);
    }
    const text = await response.text();
    if (!response.ok) {
      let message = '';
      try {
        message = JSON.parse(text).message ?? '';
      } catch {
        // Not JSON: the status says enough.
      }
      throw new GitHubApiError(
        `${method} ${target.pathname} answered ${response.status}${message ? `: ${message}` : ''}`,
      );
    }
    return { data: text ? JSON.parse(text) : undefined, link: response.headers.get('link') };
  };
  const repo = `repos/${repository}`;
  return {
    /** Every comment of an issue or pull request, following the Link header from page to page. */
    async listComments(number) {
      const comments = [];
      let url = `${repo}/issues/${number}/comments?per_page=100`;
      while (url) {
        const { data, link } = await request('GET', url);
        comments.push(...data);
        url = nextPage(link);
      }
      return comments;
    },
    createComment: async (number, body) => (await request('POST', `${repo}/issues/${number}/comments`, { body })).data,
    updateComment: async (id, body) => (await request('PATCH', `${repo}/issues/comments/${id}`, { body })).data,
  };
}

/**
 * Edits the action's comment on a pull request, or creates it.
 *
 * @param {ReturnType<typeof gitHubClient>} client - The API client.
 * @param {number} number - The pull request's number.
 * @param {string} body - The comment, starting with {@link COMMENT_MARKER}.
 * @returns {Promise<{ action: 'created' | 'updated', id: number, url?: string }>} What was done.
 */
export async function upsertComment(client, number, body) {
  const existing = (await client.listComments(number)).find((comment) => comment.body?.includes(COMMENT_MARKER));
  if (existing) {
    const updated = await client.updateComment(existing.id, body);
    return { action: 'updated', id: existing.id, url: updated?.html_url };
  }
  const created = await client.createComment(number, body);
  return { action: 'created', id: created.id, url: created.html_url };
}
