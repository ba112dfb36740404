/**
 * Model cards (native API, issue 19): a card generated from stored facts for one model version, in Ferry's JSON
 * (with Model Card Toolkit v0.0.2 and Hugging Face `model-index` views), Markdown (Hugging Face's template headings)
 * or self-contained HTML; the human-authored fields behind it; and the validation report export (a zip of the card,
 * the test log and their SHA-256 sums).
 */
import { Type } from '@sinclair/typebox';
import { defineOperation } from './operation.js';
import { EpochMs, Nullable, StringEnum, Text } from './common.js';

const tag = 'models';
const P = '/api/v1/models/:name';

const ModelName = Text({ minLength: 1, maxLength: 256, description: "the registered model's name" });
const VersionNumber = Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: 'a model version number' });
const VersionParams = Type.Object({ name: ModelName, version: VersionNumber });

/** The fields a person writes; everything else on a card is derived from stored facts. */
export const CARD_FIELDS = ['intended_use', 'out_of_scope_uses', 'users', 'owner', 'contact', 'limitations', 'ethical_considerations'] as const;
export type CardField = (typeof CARD_FIELDS)[number];

/** The card's sections, in the order they are rendered. */
export const CARD_SECTIONS = [
  'identity',
  'uses',
  'risks',
  'training_data',
  'training_run',
  'evaluation',
  'fairness',
  'explanations',
  'monitoring',
  'approvals',
] as const;
export type CardSectionId = (typeof CARD_SECTIONS)[number];

/** present: facts exist; empty: none recorded yet; unavailable: this server has no source for the section. */
export const SECTION_STATUSES = ['present', 'empty', 'unavailable'] as const;
export const CARD_FORMATS = ['json', 'md', 'html', 'mct', 'hf'] as const;

const FieldText = Text({ maxLength: 20_000 });

export const CardFieldsBody = Type.Object(
  {
    version: Type.Optional(VersionNumber),
    intended_use: Type.Optional(Nullable(FieldText)),
    out_of_scope_uses: Type.Optional(Nullable(FieldText)),
    users: Type.Optional(Nullable(FieldText)),
    owner: Type.Optional(Nullable(Text({ maxLength: 500 }))),
    contact: Type.Optional(Nullable(Text({ maxLength: 500 }))),
    limitations: Type.Optional(Nullable(FieldText)),
    ethical_considerations: Type.Optional(Nullable(FieldText)),
  },
  {
    additionalProperties: false,
    description: 'Fields to set (a string) or clear (null) at the model level, or for one version when `version` is given; absent fields are left as they are',
  },
);

const AuthoredLevel = Type.Object({
  version: Nullable(Type.String({ description: "the version these are set for; null: the model's, inherited by every version" })),
  fields: Type.Record(Type.String(), Type.String()),
  updated_at: EpochMs,
  updated_by: Type.String(),
});

export const CardFieldsAnswer = Type.Object({
  model: Type.String(),
  levels: Type.Array(AuthoredLevel, { description: 'the model level first, then versions' }),
});

export const CardSection = Type.Object({
  id: StringEnum(CARD_SECTIONS),
  title: Type.String(),
  status: StringEnum(SECTION_STATUSES),
  reason: Nullable(Type.String({ description: 'why the section is empty or unavailable' })),
  as_of: Nullable(EpochMs),
  as_of_iso: Nullable(Type.String()),
  stale: Type.Boolean(),
  stale_after_days: Nullable(Type.Number({ description: 'the policy age past which the section is stale; null: never' })),
  facts: Type.Record(Type.String(), Type.Unknown()),
});

export const ModelCard = Type.Object({
  card_schema: Type.Literal('ferry.model_card/1'),
  model: Type.Object({ name: Type.String(), version: Type.String() }),
  content_hash: Type.String({ description: 'sha256 of the facts (not of staleness, nor of the render time)' }),
  as_of: Nullable(EpochMs),
  sections: Type.Array(CardSection),
  stale_sections: Type.Array(StringEnum(CARD_SECTIONS)),
  mct: Type.Record(Type.String(), Type.Unknown(), { description: 'Model Card Toolkit schema v0.0.2' }),
  model_index: Type.Array(Type.Unknown(), { description: "Hugging Face's model-index" }),
  generated_at: Type.Optional(Type.String({ description: 'only when asked for (generated_at=true)' })),
});

/** format=mct: the Model Card Toolkit v0.0.2 view alone. */
export const MctCard = Type.Object(
  {
    schema_version: Type.Literal('0.0.2'),
    model_details: Type.Record(Type.String(), Type.Unknown()),
    model_parameters: Type.Record(Type.String(), Type.Unknown()),
    quantitative_analysis: Type.Record(Type.String(), Type.Unknown()),
    considerations: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false, description: 'Model Card Toolkit schema v0.0.2' },
);

/** format=hf: Hugging Face's model-index, as a README's front matter holds it. */
export const HfModelIndex = Type.Object({ 'model-index': Type.Array(Type.Unknown()) }, { additionalProperties: false });

export const getModelCard = defineOperation({
  method: 'GET',
  path: `${P}/versions/:version/card`,
  operationId: 'getModelCard',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A model version's card, generated from stored facts",
  description:
    'format=json: Ferry’s card with `mct` (Model Card Toolkit v0.0.2) and `model_index` (Hugging Face) views; mct or hf: that view alone; ' +
    'md: Markdown under Hugging Face’s template headings; html: a self-contained page (inline CSS, no scripts). Two renders with no new ' +
    'facts are byte-identical unless generated_at=true.',
  params: VersionParams,
  query: Type.Object({
    format: Type.Optional(StringEnum(CARD_FORMATS, { default: 'json' })),
    generated_at: Type.Optional(Type.Boolean({ description: 'include the render time (the body then differs between renders)' })),
  }),
  responses: {
    200: {
      description: 'The card',
      content: {
        'application/json': { schema: Type.Union([ModelCard, MctCard, HfModelIndex], { description: 'format=json: the card; mct or hf: that view alone' }) },
        'text/markdown': { schema: Type.String() },
        'text/html': { schema: Type.String() },
      },
    },
  },
});

export const getCardStatus = defineOperation({
  method: 'GET',
  path: `${P}/versions/:version/card/status`,
  operationId: 'getCardStatus',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A card's hash and the state of each section (what approvals sign)",
  params: VersionParams,
  responses: {
    200: Type.Object({
      model: Type.String(),
      version: Type.String(),
      content_hash: Type.String(),
      hash: Type.String({ description: 'the same as content_hash' }),
      sections: Type.Array(
        Type.Object({
          id: StringEnum(CARD_SECTIONS),
          name: Type.String({ description: 'the same as id' }),
          status: StringEnum(SECTION_STATUSES),
          present: Type.Boolean({ description: "status is 'present'" }),
          as_of: Nullable(EpochMs),
          stale: Type.Boolean(),
        }),
      ),
      stale_sections: Type.Array(StringEnum(CARD_SECTIONS)),
    }),
  },
});

export const getCardFields = defineOperation({
  method: 'GET',
  path: `${P}/card`,
  operationId: 'getCardFields',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A model's authored card fields (the model's and each version's)",
  params: Type.Object({ name: ModelName }),
  responses: { 200: CardFieldsAnswer },
});

export const putCardFields = defineOperation({
  method: 'PUT',
  path: `${P}/card`,
  operationId: 'putCardFields',
  tag,
  access: 'editor',
  style: 'native',
  summary: "Set or clear a model's (or one version's) authored card fields",
  params: Type.Object({ name: ModelName }),
  body: CardFieldsBody,
  responses: { 200: CardFieldsAnswer },
});

export const getValidationReport = defineOperation({
  method: 'GET',
  path: `${P}/versions/:version/report`,
  operationId: 'getValidationReport',
  tag,
  access: 'viewer',
  style: 'native',
  summary: "A model version's validation report: a zip of the card (JSON, HTML), the test log and SHA256SUMS (audited)",
  params: VersionParams,
  responses: {
    200: { description: 'The report archive', content: { 'application/zip': { schema: Type.String({ format: 'binary' }) } } },
  },
});
