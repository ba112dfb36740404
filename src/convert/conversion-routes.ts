/** HTTP surface of ONNX conversions: start one (editors) and read one (viewers); the service does the work. */
import { Answer, type ApiRoute, route } from '../api-route.js';
import * as C from '../contract/conversions.js';
import type { ConversionService } from './conversion-service.js';

export function conversionRoutes(svc: ConversionService): ApiRoute[] {
  return [
    // A POST: the server audits it like every write.
    route(C.startConversion, async ({ params, body }, ctx) => {
      const { conversion, started } = await svc.start(params.name, params.version, ctx.principal, { force: body?.force === true, trigger: 'request' });
      // 200: the succeeded conversion, nothing started; 202: one started or under way.
      return started || conversion.state !== 'succeeded' ? new Answer(202, { conversion }) : { conversion };
    }),
    route(C.getConversion, async ({ params }) => ({ conversion: await svc.get(params.name, params.version) })),
  ];
}
