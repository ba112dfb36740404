// expect_column_values_to_be_of_type's type_: GE passes whatever the backend calls a type (pandas dtypes,
// SQL types, Spark types). Ferry's tables have five column types; the names people write for them map
// here, case-insensitively. An unknown name is refused when the suite is parsed, so a typo is not a
// silently failing expectation.
import type { ColumnType } from './types.js';

const NAMES: Record<string, ColumnType[]> = {};
function add(types: ColumnType[], names: string[]): void {
  for (const n of names) NAMES[n] = types;
}
add(
  ['integer'],
  [
    'integer',
    'int',
    'int8',
    'int16',
    'int32',
    'int64',
    'uint8',
    'uint16',
    'uint32',
    'uint64',
    'long',
    'bigint',
    'smallint',
    'tinyint',
    'integertype',
    'longtype',
  ],
);
add(['float'], ['float', 'float16', 'float32', 'float64', 'double', 'real', 'floattype', 'doubletype']);
add(['integer', 'float'], ['number', 'numeric']);
add(['boolean'], ['boolean', 'bool', 'booleantype']);
add(['string'], ['string', 'str', 'object', 'text', 'varchar', 'utf8', 'stringtype']);
add(['datetime'], ['datetime', 'datetime64', 'datetime64[ns]', 'timestamp', 'date', 'timestamptype']);

/** The column types a type_ name accepts, or undefined for a name Ferry does not know. */
export function typesNamed(name: string): ColumnType[] | undefined {
  return Object.prototype.hasOwnProperty.call(NAMES, name.toLowerCase()) ? NAMES[name.toLowerCase()] : undefined;
}

export const KNOWN_TYPE_NAMES: readonly string[] = Object.keys(NAMES);
