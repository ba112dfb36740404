export { AuthService, isExpired, tokenState, type Credential, type ExpiredCredential, type TokenOptions, type TokenState } from './auth-service.js';
export { scopeRefusal } from './scope.js';
export { AuditLog, type AuditEntry } from './audit-repo.js';
export { authRoutes } from './auth-routes.js';
export { bootstrapAdmin, ADMIN_TOKEN_FILE } from './bootstrap.js';
export { roleAllows, parseRole } from './roles.js';
export { SignInLimiter, type SignInLimits, type SignInLock } from './sign-in-limiter.js';
export { looksLikeToken } from './secrets.js';
