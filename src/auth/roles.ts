import type { Role } from '../api-route.js';
import { InvalidParameterError } from '../errors.js';

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

export function roleAllows(have: Role, need: Role): boolean {
  return RANK[have] >= RANK[need];
}

export function parseRole(raw: string | undefined, field = 'role'): Role {
  if (raw === 'viewer' || raw === 'editor' || raw === 'admin') return raw;
  throw new InvalidParameterError(field, `Invalid ${field} '${raw ?? ''}': use viewer, editor or admin.`);
}
