/**
 * Model cards (/api/v1/models/{name}/…/card) and the validation report: a version's card generated from stored
 * facts (JSON with MCT and model-index views, Markdown, HTML), the authored fields behind it, and the report zip.
 */
import type { Static } from '@sinclair/typebox';
import * as C from '../contract/cards.js';
import type { HttpClient } from './http.js';

export type ModelCard = Static<typeof C.ModelCard>;
export type ModelCardSection = Static<typeof C.CardSection>;
export type CardFieldsInput = Static<typeof C.CardFieldsBody>;
export type CardFields = Static<typeof C.CardFieldsAnswer>;
export type ModelCardStatus = Static<(typeof C.getCardStatus.spec.responses)[200]>;
export type ModelCardFormat = (typeof C.CARD_FORMATS)[number];

export class CardsApi {
  constructor(private readonly http: HttpClient) {}

  /** The card as Ferry's JSON (with `mct` and `model_index` views). */
  async get(name: string, version: string | number, opts: { generatedAt?: boolean } = {}): Promise<ModelCard> {
    const text = await this.render(name, version, 'json', opts);
    return JSON.parse(text) as ModelCard;
  }

  /** The card rendered as text in a format: json, mct, hf (JSON), md (Markdown) or html (a self-contained page). */
  async render(name: string, version: string | number, format: ModelCardFormat, opts: { generatedAt?: boolean } = {}): Promise<string> {
    return this.http.callText(C.getModelCard, {
      params: { name, version: String(version) },
      query: { format, ...(opts.generatedAt ? { generated_at: true } : {}) },
      accept: '*/*',
    });
  }

  /** The card's content hash and each section's state (what an approval signs and checks). */
  status(name: string, version: string | number): Promise<ModelCardStatus> {
    return this.http.call(C.getCardStatus, { params: { name, version: String(version) } });
  }

  /** The authored fields: the model's and each version's own. */
  fields(name: string): Promise<CardFields> {
    return this.http.call(C.getCardFields, { params: { name } });
  }

  /** Sets (a string) or clears (null) authored fields, for the model or, with `version`, for one version. */
  edit(name: string, fields: CardFieldsInput): Promise<CardFields> {
    return this.http.call(C.putCardFields, { params: { name }, body: fields });
  }

  /** The validation report zip (card JSON/HTML/Markdown, test log, SHA256SUMS) as bytes. */
  async report(name: string, version: string | number): Promise<Uint8Array> {
    const res = await this.http.callDownload(C.getValidationReport, { params: { name, version: String(version) } });
    return new Uint8Array(await res.arrayBuffer());
  }
}
