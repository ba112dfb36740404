import { it } from 'vitest';
import { HAVE_KAFKA, NO_KAFKA_REASON } from '../helpers/brokers.js';
import { streamSuite } from './suite.js';

if (HAVE_KAFKA) streamSuite('kafka');
else it.skip(`kafka stream bindings: ${NO_KAFKA_REASON}`, () => {});
