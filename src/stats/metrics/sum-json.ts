/** JSON form of a compensated sum (both words, so a stored window loses nothing). */
import { CompensatedSum } from './labels.js';

export type SumJSON = [number, number];
export const sumJSON = (s: CompensatedSum): SumJSON => [s.sum, s.c];
export const sumFrom = ([sum, c]: SumJSON): CompensatedSum => Object.assign(new CompensatedSum(), { sum, c });
