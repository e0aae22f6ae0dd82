import * as z from '../../models/zod.js';
import type { ArtifactSet } from '../../generators/artifact.js';
import { artifactsOfKind } from '../../generators/artifact.js';
import { ArtifactSetError } from '../../generators/read.js';
import { parseJsonArtifact } from '../json-artifact.js';

/** The client fields holding URL lists the topology manages, in the Management API's names. */
export const URL_FIELDS = ['callbacks', 'allowed_logout_urls', 'web_origins'] as const;

/** One of {@link URL_FIELDS}. */
export type UrlField = (typeof URL_FIELDS)[number];

const ApplicationSchema = z.object({
  tenant: z.string().min(1),
  clientId: z.string().min(1),
  body: z.object({
    app_type: z.literal('spa'),
    callbacks: z.array(z.string().min(1)),
    allowed_logout_urls: z.array(z.string().min(1)),
    web_origins: z.array(z.string().min(1)),
  }),
  initialUsers: z.array(z.string().min(1)).optional(),
});

/** The `auth0-application` artifact (`auth0/omni-application.json`). */
export interface Auth0ApplicationSpec {
  /** The tenant domain Omni logs in with, e.g. `spaceships.us.auth0.com`. */
  readonly tenant: string;
  /** The application's client ID. */
  readonly clientId: string;
  /** The fields of `PATCH /api/v2/clients/{clientId}` the topology sets. */
  readonly body: {
    /** Always `spa`: Omni's UI signs in from the browser. */
    readonly app_type: 'spa';
  } & Readonly<Record<UrlField, readonly string[]>>;
  /** Omni's `initialUsers`: the e-mails of the first administrators, as the topology spells them. */
  readonly initialUsers?: readonly string[];
}

/**
 * Reads the Auth0 application artifact of a set and checks that it is for the tenant the client talks to.
 *
 * @param set - The artifact set.
 * @param domain - The tenant domain of the Management API client (`AUTH0_DOMAIN`).
 * @returns The application, or `undefined` when the set has no Auth0 artifact.
 * @throws `ArtifactSetError` for a malformed artifact or one for another tenant.
 */
export function readAuth0Artifacts(set: ArtifactSet, domain: string): Auth0ApplicationSpec | undefined {
  const artifact = artifactsOfKind(set, 'auth0-application')[0];
  if (!artifact) return undefined;
  const application = parseJsonArtifact<Auth0ApplicationSpec>(artifact, ApplicationSchema);
  if (application.tenant.toLowerCase() !== domain.toLowerCase()) {
    throw new ArtifactSetError(
      artifact.path,
      `is for tenant '${application.tenant}' but AUTH0_DOMAIN is '${domain}'; point AUTH0_DOMAIN at the tenant ` +
        `in the topology (omni.auth0.domain), or change the topology and generate again`,
    );
  }
  return application;
}
