/** Tables of alerting (rules, alert states, notifications, silences, notifiers): see migrations/0004-alerts.ts. */
// Filled in with the alerts migration.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AlertTables {}
