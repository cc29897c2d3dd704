import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS, ACCESS_KEY, PUBLIC_KEY, ROLES, type Permission, type Role } from '@sandi/core';
import { createTestApp, type TestApp } from '../support/app.js';

interface RouteInfo {
  method: string;
  path: string;
  permission?: Permission;
  isPublic: boolean;
}

const UNPREFIXED = new Set(['/health/live', '/health/ready', '/metrics']);

/** Every route the application serves, read from the controllers' own metadata. */
function discoverRoutes(t: TestApp): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const mod of t.app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...args: unknown[]) => unknown) | null;
      if (!ctrl) continue;
      const base = String(Reflect.getMetadata('path', ctrl) ?? '');
      const proto = ctrl.prototype as object;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const descriptor = Object.getOwnPropertyDescriptor(proto, name);
        const handler = descriptor?.value as unknown;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata('path', handler) as string | undefined;
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata('method', handler) as RequestMethod];
        let path =
          '/' +
          [base, sub]
            .map((p) => p.replace(/^\/|\/$/g, ''))
            .filter(Boolean)
            .join('/');
        if (!UNPREFIXED.has(path)) path = `/api/v1${path === '/' ? '' : path}`;
        routes.push({
          method,
          path,
          permission: Reflect.getMetadata(ACCESS_KEY, handler) ?? Reflect.getMetadata(ACCESS_KEY, ctrl),
          isPublic: Reflect.getMetadata(PUBLIC_KEY, handler) === true || Reflect.getMetadata(PUBLIC_KEY, ctrl) === true,
        });
      }
    }
  }
  return routes;
}

describe('route × role access', () => {
  let t: TestApp;
  let routes: RouteInfo[];
  beforeAll(async () => {
    t = await createTestApp();
    routes = discoverRoutes(t);
  });
  afterAll(async () => t?.close());

  it('finds the routes, and every route declares @Public() or @Access() with a permission from the table', () => {
    expect(routes.length).toBeGreaterThan(15);
    const undeclared = routes.filter((r) => !r.isPublic && !r.permission);
    expect(undeclared).toEqual([]);
    for (const r of routes.filter((x) => x.permission)) expect(Object.keys(ACCESS)).toContain(r.permission);
  });

  it('lets exactly the allowed roles through on every route, and nobody anonymous on a non-public route', async () => {
    const failures: string[] = [];
    const tokens = new Map<Role, string>();
    for (const role of ROLES) tokens.set(role, await t.tokenFor(role));
    const fill = (p: string) => p.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');

    for (const route of routes) {
      const send = (token?: string) => {
        let req = t.http()[route.method.toLowerCase() as 'get'](fill(route.path));
        if (token) req = req.set('Authorization', `Bearer ${token}`);
        return ['POST', 'PUT', 'PATCH'].includes(route.method) ? req.send({}) : req;
      };
      const anon = await send();
      if (!route.isPublic && anon.status !== 401) failures.push(`${route.method} ${route.path} anonymous → ${anon.status}, want 401`);
      // A public route may still answer 401 for bad credentials (login, refresh), never 403.
      if (route.isPublic && anon.status === 403) failures.push(`${route.method} ${route.path} public but anonymous → 403`);

      for (const role of ROLES) {
        // Logging out ends the session; give that route a fresh one so later checks keep theirs.
        const token = route.path.endsWith('/auth/logout') ? await t.login(role.replace(/_/g, '.')) : tokens.get(role)!;
        const res = await send(token);
        const allowed = route.isPublic || (ACCESS[route.permission!] as readonly string[]).includes(role);
        if (allowed && (res.status === 403 || (!route.isPublic && res.status === 401)))
          failures.push(`${route.method} ${route.path} ${role} → ${res.status}, should be allowed`);
        if (!allowed && res.status !== 403) failures.push(`${route.method} ${route.path} ${role} → ${res.status}, want 403`);
        if (!allowed) expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    }
    expect(failures).toEqual([]);
  });
});
