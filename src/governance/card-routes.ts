/** HTTP surface of model cards and the validation report: the contract's operations, each calling a service. */
import { type ApiRoute, RawResponse, route } from '../api-route.js';
import * as C from '../contract/cards.js';
import { CARD_CSP } from './card-html.js';
import type { CardService } from './card-service.js';
import type { ReportService } from './report-service.js';

export function cardRoutes(cards: CardService, reports: ReportService): ApiRoute[] {
  return [
    route(C.getModelCard, async ({ params, query }) => {
      const format = query.format ?? 'json';
      const r = await cards.render(params.name, params.version, format, query.generated_at === true);
      // The HTML card carries user data: the browser may run nothing from it and fetch nothing for it.
      const headers = format === 'html' ? { 'content-security-policy': CARD_CSP, 'x-content-type-options': 'nosniff' } : undefined;
      return new RawResponse(r.contentType, r.body, undefined, headers);
    }),
    route(C.getCardStatus, async ({ params }) => cards.cardStatus(params.name, params.version)),
    route(C.getCardFields, async ({ params }) => cards.fields(params.name)),
    route(C.putCardFields, async ({ params, body }, ctx) => cards.setFields(params.name, body, ctx.principal.name)),
    route(C.getValidationReport, async ({ params }, ctx) => {
      const report = await reports.build(params.name, params.version, ctx.principal.name);
      // A read, so the server does not audit it; an export of evidence is, here.
      await cards.auditExport(
        ctx.principal.name,
        `/api/v1/models/${encodeURIComponent(params.name)}/versions/${params.version}/report`,
        ctx.ip,
        'model.report.export',
      );
      return new RawResponse('application/zip', report.zip, report.filename, { 'x-ferry-card-hash': report.content_hash });
    }),
  ];
}
