import { applyDecorators, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';

export type RateBucket = 'login' | 'public';
const BUCKETS: RateBucket[] = ['login', 'public'];

/** Limits requests per client IP on this route with the named bucket (limits from configuration). */
export const RateLimit = (bucket: RateBucket) =>
  applyDecorators(UseGuards(ThrottlerGuard), SkipThrottle(Object.fromEntries(BUCKETS.filter((b) => b !== bucket).map((b) => [b, true]))));
