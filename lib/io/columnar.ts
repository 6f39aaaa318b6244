/**
 * Embeddings from Parquet (hyparquet) and Arrow IPC files (apache-arrow): one column of
 * fixed_size_list or list of floats, every row the same length d. The column is --column, or the
 * only list column of the file; anything else is refused with the candidates named.
 */
import { readFileSync } from 'node:fs';
import { InputFileError } from './errors.js';

export interface ColumnarEmbeddings {
  features: Float32Array | Float64Array;
  n: number;
  d: number;
  column: string;
}

export const isColumnarPath = (path: string): boolean => /\.(parquet|pq|arrow|feather|arrows|ipc)$/i.test(path);

export async function readColumnarEmbeddings(path: string, column?: string): Promise<ColumnarEmbeddings> {
  return /\.(parquet|pq)$/i.test(path) ? readParquet(path, column) : readArrow(path, column);
}

function pickColumn(path: string, all: string[], lists: string[], column?: string): string {
  if (column !== undefined) {
    if (!all.includes(column)) throw new InputFileError(path, `has no column "${column}"; its columns: ${all.join(', ')}`);
    if (!lists.includes(column)) throw new InputFileError(path, `column "${column}" is not a list of floats; list columns: ${lists.join(', ') || 'none'}`);
    return column;
  }
  if (lists.length === 1) return lists[0]!;
  if (lists.length === 0) throw new InputFileError(path, `has no list column to read embeddings from (columns: ${all.join(', ')}); store each embedding as a list<float> or fixed_size_list<float>`);
  throw new InputFileError(path, `has several list columns (${lists.join(', ')}); choose one with --column`);
}

function pack(path: string, column: string, rows: ArrayLike<unknown>, double: boolean): ColumnarEmbeddings {
  const n = rows.length;
  if (n === 0) throw new InputFileError(path, 'holds no rows');
  let d = -1;
  let out: Float32Array | Float64Array | undefined;
  for (let r = 0; r < n; r++) {
    const row = rows[r] as ArrayLike<number> | null | undefined;
    if (row === null || row === undefined) throw new InputFileError(path, `column "${column}" row ${r} is null; every response needs an embedding`);
    if (d < 0) {
      d = row.length;
      if (d === 0) throw new InputFileError(path, `column "${column}" row 0 is empty`);
      out = double ? new Float64Array(n * d) : new Float32Array(n * d);
    }
    if (row.length !== d) throw new InputFileError(path, `column "${column}" row ${r} has ${row.length} values, row 0 has ${d}; every embedding must have the same length`);
    for (let c = 0; c < d; c++) {
      const v = Number(row[c]);
      if (!Number.isFinite(v)) throw new InputFileError(path, `column "${column}" row ${r} value ${c} is ${String(row[c])}; embeddings must be finite numbers`);
      out![r * d + c] = v;
    }
  }
  return { features: out!, n, d, column };
}

interface SchemaNode {
  element: { name: string; type?: string };
  children: SchemaNode[];
}

async function readParquet(path: string, column?: string): Promise<ColumnarEmbeddings> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } = await import('hyparquet');
  let file;
  let metadata;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputFileError(path, 'no such file; check the path');
    throw new InputFileError(path, `not a readable Parquet file (${code ?? (err as Error).message})`);
  }
  const top = (parquetSchema(metadata) as unknown as SchemaNode).children;
  const leafType = (node: SchemaNode): string | undefined => (node.children.length ? leafType(node.children[0]!) : node.element.type);
  const lists = top.filter((c) => c.children.length > 0 && (leafType(c) === 'FLOAT' || leafType(c) === 'DOUBLE')).map((c) => c.element.name);
  const name = pickColumn(path, top.map((c) => c.element.name), lists, column);
  const rows = (await parquetReadObjects({ file, columns: [name] })) as Record<string, unknown>[];
  const node = top.find((c) => c.element.name === name)!;
  return pack(path, name, rows.map((r) => r[name]) as ArrayLike<unknown>, leafType(node) === 'DOUBLE');
}

async function readArrow(path: string, column?: string): Promise<ColumnarEmbeddings> {
  const arrow = await import('apache-arrow');
  let table;
  try {
    table = arrow.tableFromIPC(readFileSync(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputFileError(path, 'no such file; check the path');
    throw new InputFileError(path, `not a readable Arrow IPC file (${code ?? (err as Error).message})`);
  }
  const fields = table.schema.fields;
  const isFloatList = (f: (typeof fields)[number]): boolean =>
    (arrow.DataType.isList(f.type) || arrow.DataType.isFixedSizeList(f.type)) && arrow.DataType.isFloat(f.type.children[0]!.type);
  const name = pickColumn(path, fields.map((f) => f.name), fields.filter(isFloatList).map((f) => f.name), column);
  const vector = table.getChild(name)!;
  const field = fields.find((f) => f.name === name)!;
  const double = (field.type.children[0]!.type as InstanceType<typeof arrow.Float>).precision === arrow.Precision.DOUBLE;
  const rows: (number[] | null)[] = [];
  for (let r = 0; r < vector.length; r++) {
    const v = vector.get(r) as { length: number; get(i: number): number } | null;
    rows.push(v === null ? null : Array.from({ length: v.length }, (_, c) => v.get(c)));
  }
  return pack(path, name, rows, double);
}
