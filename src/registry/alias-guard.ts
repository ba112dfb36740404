/**
 * The seam through which something outside the registry may refuse an alias move (governance's approval gates),
 * without the registry knowing what it checks. Every move of an alias to a version — the MLflow route, the loops,
 * anything calling RegistryService.setAlias — asks the guard first.
 */
import type { Role } from '../api-route.js';

/** Who moves the alias, as the guard records it. */
export interface AliasActor {
  /** Token, user or loop name (the audit log's actor). */
  name: string;
  role?: Role;
  /** The caller's address, for an HTTP call. */
  ip?: string;
  /**
   * The move puts back the version the alias named before a move that did not complete (a loop run's rollback).
   * A guard may let it through: refusing would leave the alias on a version nobody meant to keep.
   */
  restore?: boolean;
}

export interface AliasGuard {
  /** Throws (a 403 FerryError naming the unmet conditions) to refuse the move; resolves to allow it. */
  check(model: string, alias: string, version: string, actor: AliasActor): Promise<void>;
  /** Told after an allowed move was written. */
  moved?(model: string, alias: string, version: string, actor: AliasActor): Promise<void>;
}
