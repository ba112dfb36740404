/**
 * ONNX conversions (/api/v1/models/{name}/versions/{version}/conversion): convert a version logged with its
 * sklearn, xgboost or lightgbm flavor to ONNX (a job, checked against the original), and follow it.
 */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/conversions.js';
import type { HttpClient } from './http.js';

export type ModelConversion = Static<typeof C.Conversion>;
export type ModelConversionState = (typeof C.CONVERSION_STATES)[number];

export class ConversionsApi {
  constructor(private readonly http: HttpClient) {}

  /** Starts a conversion (answers the one under way, or the succeeded one unless `force`). */
  async start(name: string, version: string | number, opts: { force?: boolean } = {}): Promise<ModelConversion> {
    const answer = await this.http.call(C.startConversion, { params: { name, version: String(version) }, body: opts.force ? { force: true } : {} });
    return answer.conversion;
  }

  /** The version's conversion (404 when none was started). */
  async get(name: string, version: string | number): Promise<ModelConversion> {
    return (await this.http.call(C.getConversion, { params: { name, version: String(version) } })).conversion;
  }
}
