import { it } from 'vitest';
import { HAVE_REDIS, NO_REDIS_REASON } from '../helpers/brokers.js';
import { streamSuite } from './suite.js';

if (HAVE_REDIS) streamSuite('redis');
else it.skip(`redis stream bindings: ${NO_REDIS_REASON}`, () => {});
