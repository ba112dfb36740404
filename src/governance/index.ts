/** Governance: approval gates per alias, generated model cards, validation report export. */
export {};
