import type { ParseError } from 'jsonc-parser';
import { parse } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { singleSiteInput } from '../../../test/fixtures.js';
import { defineTopology } from '../../models/define.js';
import { tailscalePolicyArtifact } from '../../generators/tailscale-policy.js';
import type { HttpErrorInit } from '../http/errors.js';
import { HttpConnectionError } from '../http/errors.js';
import type { TailnetPolicyApi, TailnetPolicyFile } from './policy-api.js';
import { TailnetPolicyConflictError, TailnetPolicyInvalidError } from './policy-api.js';
import { TailnetPolicyBusyError, buildPolicyStep } from './policy-steps.js';

const snippet = tailscalePolicyArtifact(defineTopology(singleSiteInput())).content;

const request = (path: string): HttpErrorInit['request'] => ({ method: 'POST', path, headers: {} });

/**
 * The policy endpoints as Tailscale behaves: the text is stored verbatim, every stored version has a new ETag, a
 * write whose `If-Match` is not the current ETag is refused with 412, and validation refuses text that is not HuJSON.
 */
class MemoryPolicyApi implements TailnetPolicyApi {
  text: string;
  version = 1;
  readonly stored: string[] = [];
  /** Runs before each write is judged: a person saving the policy in the admin console meanwhile. */
  beforeWrite: (api: MemoryPolicyApi, attempt: number) => void = () => {};
  /** Stores the write and then loses its answer, as a dropped connection does. */
  loseAnswer = false;
  private writes = 0;

  constructor(text: string) {
    this.text = text;
  }

  get etag(): string {
    return `"v${this.version}"`;
  }

  save(text: string): void {
    this.text = text;
    this.version++;
  }

  readPolicy(): Promise<TailnetPolicyFile> {
    return Promise.resolve({ text: this.text, etag: this.etag });
  }

  validatePolicy(text: string): Promise<void> {
    const errors: ParseError[] = [];
    parse(text, errors, { allowTrailingComma: true });
    if (errors.length > 0) {
      throw new TailnetPolicyInvalidError('refused', {
        request: request('/api/v2/tailnet/-/acl/validate'),
        status: 400,
        upstreamMessage: 'parse error',
      });
    }
    return Promise.resolve();
  }

  writePolicy(text: string, etag: string): Promise<TailnetPolicyFile> {
    this.beforeWrite(this, ++this.writes);
    if (etag !== this.etag) {
      throw new TailnetPolicyConflictError('failed with HTTP 412', {
        request: request('/api/v2/tailnet/-/acl'),
        status: 412,
      });
    }
    this.save(text);
    this.stored.push(text);
    if (this.loseAnswer) {
      this.loseAnswer = false;
      throw new HttpConnectionError('connection reset', { request: request('/api/v2/tailnet/-/acl') });
    }
    return Promise.resolve({ text, etag: this.etag });
  }
}

const personPolicy = `{
\t"tagOwners": {"tag:printer": ["kryten@example.com"]},
\t"grants": [
\t\t// Kryten's printer
\t\t{"src": ["kryten@example.com"], "dst": ["tag:printer"], "ip": ["tcp:631"]},
\t],
}
`;

const kryten =
  '\t\t// Rimmer may print too (added while apply ran)\n\t\t{"src": ["rimmer@example.com"], "dst": ["tag:printer"], "ip": ["tcp:631"]},\n';

function concurrentEdit(api: MemoryPolicyApi): void {
  api.save(api.text.replace('\t],\n}', `${kryten}\t],\n}`));
}

describe('buildPolicyStep', () => {
  it('plans one policy update with a difference per generated entry, then writes with If-Match', async () => {
    const api = new MemoryPolicyApi(personPolicy);
    const step = await buildPolicyStep(snippet, api);
    expect(step.change).toMatchObject({ target: 'tailscale', kind: 'policy', id: 'policy', action: 'update' });
    expect(step.change.fields.map((field) => field.path)).toEqual([
      'grants[tag:lab-omni]',
      'tagOwners.tag:lab-omni',
      'tagOwners.tag:lab-provider',
      'tests[group:ops]',
    ]);
    expect(step.change.note).toBeUndefined();
    expect(step.unmanaged).toEqual([
      { kind: 'policy grants', id: 'tag:printer', reason: "no talos-topology marker: a person's entry, kept" },
      { kind: 'policy tagOwners', id: 'tag:printer', reason: "no talos-topology marker: a person's entry, kept" },
    ]);
    const result = await step.run?.();
    expect(result).toMatchObject({ written: true, attempts: 1, etag: '"v2"' });
    expect(api.text).toContain("// Kryten's printer\n");
    const again = await buildPolicyStep(snippet, api);
    expect(again.change.action).toBe('no-op');
    expect(again.run).toBeUndefined();
  });

  it('notes the tags a person already owns: the plan says they are not taken over', async () => {
    const api = new MemoryPolicyApi(
      personPolicy.replace('"tag:printer": ["kryten@example.com"]', '"tag:lab-omni": ["kryten@example.com"]'),
    );
    const step = await buildPolicyStep(snippet, api);
    expect(step.change.note).toBe('tags already in tagOwners, not taken over: tag:lab-omni');
    expect(step.change.fields.map((field) => field.path)).not.toContain('tagOwners.tag:lab-omni');
  });

  it('keeps a concurrent edit: the 412 makes it read, merge into the new version and write again', async () => {
    const api = new MemoryPolicyApi(personPolicy);
    const step = await buildPolicyStep(snippet, api);
    api.beforeWrite = (current, attempt) => {
      if (attempt === 1) concurrentEdit(current);
    };
    const result = await step.run?.();
    expect(result).toMatchObject({ written: true, attempts: 2 });
    expect(api.stored).toHaveLength(1);
    expect(api.text).toContain(kryten);
    expect(api.text).toContain("// Kryten's printer\n");
    expect(api.text).toContain('// talos-topology:single-site\n\t\t{\n\t\t\t"dst": [\n\t\t\t\t"tag:lab-omni"');
    expect((await buildPolicyStep(snippet, api)).change.action).toBe('no-op');
  });

  it('gives up after a bounded number of attempts when the policy keeps changing, overwriting nothing', async () => {
    const api = new MemoryPolicyApi(personPolicy);
    const step = await buildPolicyStep(snippet, api, undefined, { writeAttempts: 3 });
    api.beforeWrite = (current, attempt) =>
      current.save(
        current.text.replace(
          '\t],\n}',
          `\t\t{"src": ["edit-${attempt}@example.com"], "dst": ["*"], "ip": ["*"]},\n\t],\n}`,
        ),
      );
    await expect(step.run?.()).rejects.toThrow(TailnetPolicyBusyError);
    expect(api.stored).toEqual([]);
    for (const attempt of [1, 2, 3]) expect(api.text).toContain(`edit-${attempt}@example.com`);
  });

  it('converges when the answer to a stored write is lost, without writing twice', async () => {
    const api = new MemoryPolicyApi(personPolicy);
    const step = await buildPolicyStep(snippet, api);
    api.loseAnswer = true;
    const result = await step.run?.();
    expect(result).toMatchObject({ written: true, attempts: 1 });
    expect(result?.fields).toHaveLength(4);
    expect(api.stored).toHaveLength(1);
  });

  it('writes nothing when the tailnet refuses the merged policy', async () => {
    const api = new MemoryPolicyApi(personPolicy);
    const step = await buildPolicyStep(snippet, api);
    api.validatePolicy = () => {
      throw new TailnetPolicyInvalidError('refused', {
        request: request('/api/v2/tailnet/-/acl/validate'),
        status: 400,
        upstreamMessage: 'test(s) failed',
      });
    };
    await expect(step.run?.()).rejects.toThrow(/test\(s\) failed/);
    expect(api.stored).toEqual([]);
  });
});
