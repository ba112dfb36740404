/** Contract types the judging layer reads. */
import type { Static } from '@sinclair/typebox';
import type * as C from '../contract/loops.js';

export type CanaryStepSpec = Static<typeof C.CanaryStep>;
