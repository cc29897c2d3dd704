import { SetMetadata } from '@nestjs/common';
import type { Permission } from './access.policy.js';

export const ACCESS_KEY = 'sandi:access';
export const PUBLIC_KEY = 'sandi:public';

/** The route needs a signed-in user whose roles the ACCESS table allows for `permission`. */
export const Access = (permission: Permission) => SetMetadata(ACCESS_KEY, permission);

/** The route is open to anyone (login, health, public forms). Rate-limited where it accepts input. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
