/** Table types of model cards' authored fields (migration 0017). */
export interface ModelCardFieldsTable {
  model: string;
  /** 0: the registered model's fields (every version inherits them); N: version N's own. */
  version: number;
  /** JSON: the authored fields set at this level (absent keys inherit). */
  fields: string;
  updated_at: number;
  updated_by: string;
}

export interface CardTables {
  model_card_fields: ModelCardFieldsTable;
}
