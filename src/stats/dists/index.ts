// Public surface of Ferry's probability distributions (pure, no I/O). Re-exports only.
export { normalCdf, normalPdf, normalSf } from './normal.js';
export { logGamma } from './log-gamma.js';
export { gammaP, gammaQ } from './gamma.js';
export { chiSquareCdf, chiSquareSf } from './chi2.js';
