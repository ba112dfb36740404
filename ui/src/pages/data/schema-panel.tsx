/** A version's inferred schema and the warnings found while reading it. */
import type { DataColumnSchema, DataSchema } from '../../../../src/sdk/index.js';
import { type Column, DataTable } from '../../components/data-table.js';

type Warning = DataSchema['warnings'][number];

const COLUMNS: Column<DataColumnSchema>[] = [
  { id: 'name', header: 'Column', sortValue: (c) => c.name, cell: (c) => c.name },
  { id: 'type', header: 'Type', sortValue: (c) => c.type, cell: (c) => <code>{c.type}</code> },
  { id: 'nullable', header: 'Nullable', sortValue: (c) => c.nullable, cell: (c) => (c.nullable ? 'yes' : 'no') },
];

const WARNING_COLUMNS: Column<Warning>[] = [
  { id: 'column', header: 'Column', cell: (w) => w.column },
  { id: 'where', header: 'Where', cell: (w) => (w.line !== undefined ? `line ${w.line}` : w.row !== undefined ? `row ${w.row}` : '') },
  { id: 'message', header: 'Warning', cell: (w) => w.message },
];

export function SchemaWarnings({ warnings }: { warnings: readonly Warning[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="panel schema-warnings" role="note" aria-label="Schema warnings">
      <strong>{warnings.length === 1 ? '1 schema warning' : `${warnings.length} schema warnings`}</strong>
      <DataTable
        label="Schema warnings"
        columns={WARNING_COLUMNS}
        rows={warnings}
        rowKey={(w) => `${w.column}|${w.line ?? ''}|${w.row ?? ''}|${w.message}`}
        pageSize={20}
      />
    </div>
  );
}

export function SchemaPanel({ schema }: { schema: DataSchema }) {
  return (
    <div>
      <p className="muted">
        Format <code>{schema.format}</code>
        {schema.delimiter ? (
          <>
            {' '}
            · delimiter <code>{JSON.stringify(schema.delimiter)}</code>
          </>
        ) : null}
      </p>
      <SchemaWarnings warnings={schema.warnings} />
      <DataTable label="Schema" columns={COLUMNS} rows={schema.columns} rowKey={(c) => c.name} />
    </div>
  );
}
