/**
 * Writes test/fixtures/embeddings.{arrow,parquet}: 6 rows, columns id (utf8), emb
 * (fixed_size_list<float32>[4]), emb_list (list<float64>, 3 values), score (float64).
 * Values are (4 r + c) / 8 for emb and −(r + c) / 4 for emb_list: exact in float32, so readers
 * can be checked bit for bit. The Arrow file comes from apache-arrow's IPC writer, the Parquet
 * file from parquet-wasm (arrow-rs's writer, not the reader under test):
 *
 *   npm install --no-save parquet-wasm@0.8 && node scripts/make-embedding-fixtures.mjs
 */
import { writeFileSync } from 'node:fs';
import { Field, FixedSizeList, Float32, Float64, List, makeData, makeVector, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm';

const rows = 6;
const emb = new Float32Array(rows * 4).map((_, k) => (4 * Math.floor(k / 4) + (k % 4)) / 8);
const flat = new Float64Array(rows * 3).map((_, k) => -(Math.floor(k / 3) + (k % 3)) / 4);

const embType = new FixedSizeList(4, new Field('item', new Float32(), false));
const embData = makeData({ type: embType, length: rows, nullCount: 0, child: makeData({ type: new Float32(), length: rows * 4, data: emb }) });
const listType = new List(new Field('item', new Float64(), false));
const offsets = Int32Array.from({ length: rows + 1 }, (_, r) => 3 * r);
const listData = makeData({ type: listType, length: rows, nullCount: 0, valueOffsets: offsets, child: makeData({ type: new Float64(), length: rows * 3, data: flat }) });

const table = new Table({
  id: vectorFromArray(Array.from({ length: rows }, (_, r) => `row-${r}`), new Utf8()),
  emb: makeVector(embData),
  emb_list: makeVector(listData),
  score: makeVector(Float64Array.from({ length: rows }, (_, r) => r / 2)),
});

writeFileSync('test/fixtures/embeddings.arrow', tableToIPC(table, 'file'));
const props = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
writeFileSync('test/fixtures/embeddings.parquet', writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), props));
console.log('wrote test/fixtures/embeddings.arrow and test/fixtures/embeddings.parquet');
