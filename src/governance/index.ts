/** Governance: approval gates per alias, generated model cards, validation report export. */
export { startCards, type Cards, type CardsDeps } from './card-runtime.js';
export { CardService, type CardFormat, type CardStatus as ModelCardStatus } from './card-service.js';
export { ReportService } from './report-service.js';
export { cardPolicyFromEnv } from './card-policy.js';
export type { CardProviders, CardPolicy, ProvidedFacts, SectionProvider, CheckRecord } from './card-types.js';
export { ApprovalService, type ApprovalServiceDeps } from './approval-service.js';
export { approvalRoutes } from './approval-routes.js';
export { fairnessFromReports } from './approval-sources.js';
export type { CardStatus, CardStatusFn, CardSection, FairnessCheckFn, FairnessQuery, FairnessVerdict } from './approval-facts.js';
