/**
 * Model cards: generated on request from stored facts (a card is a pure function of the facts and the clock's
 * staleness judgement), rendered as JSON, MCT, HF model-index, Markdown or HTML; the authored fields are the only
 * thing stored. `cardHash` and `cardStatus` are what approvals sign and check.
 */
import type { Static } from '@sinclair/typebox';
import { CARD_FIELDS, type CardField, type CardFieldsAnswer, type CardFieldsBody } from '../contract/cards.js';
import type { AuditLog } from '../auth/index.js';
import { buildCard } from './card-build.js';
import { gatherFacts, type CardSources } from './card-facts.js';
import { applyChange, parseFields } from './card-fields.js';
import { renderHtml } from './card-html.js';
import { canonicalJson } from './card-json.js';
import { renderMarkdown } from './card-markdown.js';
import type { CardRepo } from './card-repo.js';
import { type Card, type CardFacts, type CardPolicy, type CardProviders, DEFAULT_CARD_POLICY } from './card-types.js';

export type CardFormat = 'json' | 'md' | 'html' | 'mct' | 'hf';

export interface CardServiceDeps extends Omit<CardSources, 'providers'> {
  repo: CardRepo;
  audit: AuditLog;
  providers?: CardProviders;
  policy?: Partial<CardPolicy>;
  /** The clock staleness is judged by (tests move it). */
  now?: () => number;
}

/** A card's state for approvals: `hash`/`content_hash` are the same; `name`/`present` are the approvals helper's names. */
export interface CardStatus {
  model: string;
  version: string;
  content_hash: string;
  hash: string;
  sections: {
    id: Card['sections'][number]['id'];
    name: string;
    status: Card['sections'][number]['status'];
    present: boolean;
    as_of: number | null;
    stale: boolean;
  }[];
  stale_sections: Card['stale_sections'];
}

export interface RenderedCard {
  contentType: string;
  body: string;
  card: Card;
}

export class CardService {
  private readonly providers: CardProviders;
  readonly policy: CardPolicy;
  readonly now: () => number;

  constructor(private readonly deps: CardServiceDeps) {
    this.providers = { ...(deps.providers ?? {}) };
    this.policy = { ...DEFAULT_CARD_POLICY, ...(deps.policy ?? {}) };
    this.now = deps.now ?? Date.now;
  }

  /** Plug in a section's source once its capability exists (app.ts wires fairness, explanations, monitoring, approvals). */
  setProvider(id: keyof CardProviders, provider: NonNullable<CardProviders[keyof CardProviders]>): void {
    this.providers[id] = provider;
  }

  facts(name: string, version: string): Promise<CardFacts> {
    return gatherFacts({ ...this.deps, providers: this.providers }, name, version);
  }

  async card(name: string, version: string): Promise<Card> {
    return buildCard(await this.facts(name, version), this.policy, this.now());
  }

  /** The card in a format; generatedAt only when the caller asked for the render time in the body. */
  async render(name: string, version: string, format: CardFormat, generatedAt = false): Promise<RenderedCard> {
    const card = await this.card(name, version);
    return { ...renderCard(card, format, generatedAt ? new Date(this.now()).toISOString() : undefined), card };
  }

  async cardHash(name: string, version: string): Promise<string> {
    return (await this.card(name, version)).content_hash;
  }

  async cardStatus(name: string, version: string): Promise<CardStatus> {
    const card = await this.card(name, version);
    return {
      model: name,
      version: card.model.version,
      content_hash: card.content_hash,
      hash: card.content_hash,
      sections: card.sections.map((s) => ({ id: s.id, name: s.id, status: s.status, present: s.status === 'present', as_of: s.as_of, stale: s.stale })),
      stale_sections: card.stale_sections,
    };
  }

  async fields(name: string): Promise<Static<typeof CardFieldsAnswer>> {
    await this.deps.registry.getModel(name);
    const rows = await this.deps.repo.fieldRows(name);
    return {
      model: name,
      levels: rows.map((r) => ({
        version: Number(r.version) === 0 ? null : String(r.version),
        fields: parseFields(r.fields) as Record<string, string>,
        updated_at: Number(r.updated_at),
        updated_by: r.updated_by,
      })),
    };
  }

  /** Sets or clears fields at the model level or one version's; the route's write is audited by the server. */
  async setFields(name: string, body: Static<typeof CardFieldsBody>, actor: string): Promise<Static<typeof CardFieldsAnswer>> {
    await this.deps.registry.getModel(name);
    if (body.version !== undefined) await this.deps.registry.getVersion(name, body.version);
    const level = body.version === undefined ? 0 : Number(body.version);
    const rows = await this.deps.repo.fieldRows(name);
    const current = rows.find((r) => Number(r.version) === level);
    const change: Partial<Record<CardField, string | null>> = {};
    for (const f of CARD_FIELDS) if (body[f] !== undefined) change[f] = body[f];
    const next = applyChange(current ? parseFields(current.fields) : {}, change);
    await this.deps.repo.saveFields({ model: name, version: level, fields: canonicalJson(next), updated_at: this.now(), updated_by: actor });
    return this.fields(name);
  }

  /** Writes an audit row for a read that exports evidence (the report), which the server does not audit by itself. */
  async auditExport(actor: string, path: string, ip: string, action: string): Promise<void> {
    await this.deps.audit.record({ ts: Date.now(), actor, action, method: 'GET', path: path.slice(0, 2000), status: 200, ip });
  }
}

export function renderCard(card: Card, format: CardFormat, generatedAt?: string): { contentType: string; body: string } {
  switch (format) {
    case 'md':
      return { contentType: 'text/markdown; charset=utf-8', body: renderMarkdown(card, generatedAt) };
    case 'html':
      return { contentType: 'text/html; charset=utf-8', body: renderHtml(card, generatedAt) };
    case 'mct':
      return { contentType: 'application/json; charset=utf-8', body: canonicalJson(card.mct, 2) + '\n' };
    case 'hf':
      return { contentType: 'application/json; charset=utf-8', body: canonicalJson({ 'model-index': card.model_index }, 2) + '\n' };
    case 'json':
      return { contentType: 'application/json; charset=utf-8', body: canonicalJson(generatedAt ? { ...card, generated_at: generatedAt } : card, 2) + '\n' };
  }
}
