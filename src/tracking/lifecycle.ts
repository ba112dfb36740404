import { InvalidParameterError } from '../errors.js';

export const ACTIVE = 'active';
export const DELETED = 'deleted';

/** MLflow's ViewType: ACTIVE_ONLY (default), DELETED_ONLY, ALL — as a name or its enum number. */
export function lifecycleStages(viewType: string | undefined, field = 'view_type'): string[] {
  switch (viewType ?? 'ACTIVE_ONLY') {
    case 'ACTIVE_ONLY':
    case '1':
      return [ACTIVE];
    case 'DELETED_ONLY':
    case '2':
      return [DELETED];
    case 'ALL':
    case '3':
      return [ACTIVE, DELETED];
    default:
      throw new InvalidParameterError(field, `Invalid ${field} '${viewType}': use ACTIVE_ONLY, DELETED_ONLY or ALL.`);
  }
}
