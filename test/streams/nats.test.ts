import { it } from 'vitest';
import { HAVE_NATS, NO_NATS_REASON } from '../helpers/brokers.js';
import { streamSuite } from './suite.js';

if (HAVE_NATS) streamSuite('nats');
else it.skip(`nats stream bindings: ${NO_NATS_REASON}`, () => {});
