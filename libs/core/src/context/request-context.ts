import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface ContextUser {
  id: string;
  username: string;
  fullName: string;
  roles: string[];
  sessionId?: string;
}

export interface RequestContext {
  requestId: string;
  ip?: string;
  userAgent?: string;
  user?: ContextUser;
  /** Set for work that no person started (jobs, CLI, seed): shown as the audit actor. */
  system?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The context of the current request or job; audit and logs read who and which request from here. */
export const requestContext = {
  run<T>(ctx: Partial<RequestContext>, fn: () => T): T {
    return storage.run({ requestId: ctx.requestId ?? randomUUID(), ...ctx }, fn);
  },
  /** Runs `fn` as a named system actor (scheduler job, CLI command, seed). */
  runAsSystem<T>(system: string, fn: () => T): T {
    return storage.run({ requestId: randomUUID(), system }, fn);
  },
  get(): RequestContext | undefined {
    return storage.getStore();
  },
  setUser(user: ContextUser): void {
    const ctx = storage.getStore();
    if (ctx) ctx.user = user;
  },
};
