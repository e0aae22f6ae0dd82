import type { UnmanagedObject } from '../../plan/change.js';
import { createChange } from '../../plan/change.js';
import type { StaticRoutesSpec } from './artifacts.js';
import { fieldDifferences } from './field-differences.js';
import type { UnifiStep } from './step.js';
import { withSignal } from './step.js';
import type { UnifiClient } from './client.js';

/** A static route as `GET …/rest/routing` returns it. */
export interface StaticRoute {
  /** Route ID. */
  readonly _id: string;
  /** Route name; owned by the topology when it starts with the artifact's prefix. */
  readonly name: string;
  /** Every other field. */
  readonly [field: string]: unknown;
}

const enc = encodeURIComponent;

/**
 * Reads the console's static routes and works out the steps for the route artifact. A route is owned when its name
 * starts with the artifact's `namePrefix` (`talos-sdk:<topology>:`): only those are updated or deleted. A route named
 * with the legacy prefix and a declared route's name (`talos-sdk:<route>`, written before ownership carried the
 * topology) is renamed in place; other legacy routes may belong to another topology and are left alone.
 *
 * @param routes - The route artifact.
 * @param client - A client for the console.
 * @param signal - Cancels the requests.
 * @returns The steps and the routes left alone (one `GET`).
 */
export async function buildRouteSteps(
  routes: StaticRoutesSpec,
  client: UnifiClient,
  signal: AbortSignal | undefined,
): Promise<{ steps: UnifiStep[]; unmanaged: UnmanagedObject[] }> {
  const base = `/s/${enc(routes.site)}/rest/routing`;
  const live = await client.v1<StaticRoute>('GET', base, withSignal(signal));
  const steps: UnifiStep[] = [];
  const unmanaged: UnmanagedObject[] = [];
  const adopted = new Set<StaticRoute>();
  const desiredNames = new Set(routes.routes.map((route) => route.name));
  const firstOfName = new Map<string, StaticRoute>();
  for (const route of live) if (!firstOfName.has(route.name)) firstOfName.set(route.name, route);

  for (const desired of routes.routes) {
    const legacyName =
      routes.legacyNamePrefix === undefined
        ? undefined
        : routes.legacyNamePrefix + desired.name.slice(routes.namePrefix.length);
    const legacy = legacyName === undefined ? undefined : firstOfName.get(legacyName);
    const current = firstOfName.get(desired.name) ?? legacy;
    if (!current) {
      const fields = Object.entries(desired).map(([path, after]) => ({ path, after }));
      steps.push({
        phase: 1,
        change: createChange('unifi', 'static-route', desired.name, 'create', fields),
        run: async (c, s) => void (await c.v1('POST', base, { json: desired, ...withSignal(s) })),
      });
      continue;
    }
    if (current === legacy) adopted.add(current);
    const fields = fieldDifferences(current, desired, current === legacy ? [] : ['name']);
    const body = { ...current, ...desired };
    steps.push({
      phase: 1,
      change: createChange('unifi', 'static-route', desired.name, fields.length ? 'update' : 'no-op', fields, [
        current === legacy ? `renamed from ${current.name}, written before route names carried the topology` : '',
      ]),
      ...(fields.length
        ? {
            run: async (c: UnifiClient, s: AbortSignal | undefined) =>
              void (await c.v1('PUT', `${base}/${enc(current._id)}`, { json: body, ...withSignal(s) })),
          }
        : {}),
    });
  }

  for (const route of live) {
    if (adopted.has(route)) continue;
    if (!route.name.startsWith(routes.namePrefix)) {
      const legacy =
        routes.legacyNamePrefix !== undefined &&
        route.name.startsWith(routes.legacyNamePrefix) &&
        !route.name.slice(routes.legacyNamePrefix.length).includes(':');
      unmanaged.push({
        kind: 'static-route',
        id: route.name,
        reason: legacy
          ? `written before route names carried the topology and not declared here (another topology may own it); rename or delete it by hand`
          : `name does not start with ${routes.namePrefix}`,
      });
      continue;
    }
    const duplicate = firstOfName.get(route.name) !== route;
    if (desiredNames.has(route.name) && !duplicate) continue;
    steps.push({
      phase: 3,
      change: createChange(
        'unifi',
        'static-route',
        duplicate ? `${route.name} ${route._id}` : route.name,
        'delete',
        [],
        [duplicate ? 'second route with this name' : 'owned (name prefix) but no longer declared'],
      ),
      run: async (c, s) => void (await c.v1('DELETE', `${base}/${enc(route._id)}`, withSignal(s))),
    });
  }
  return { steps, unmanaged };
}
