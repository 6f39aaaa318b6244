/** `active-rm select`: choose k pairs for annotators from embeddings written by numpy/PyTorch. */
import { Command, Option } from 'commander';
import { BACKEND_ENV, backendInfo } from '../backends/index.js';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { formatPairs, OUTPUT_FORMATS, type OutputFormat } from '../io/annotation-formats.js';
import { readPastPairs } from '../io/id-labels.js';
import { checkPairRange, readLabeledPairs, type LabeledPairs } from '../io/jsonl.js';
import { indexOfIds, readResponses, type ResponseRecord } from '../io/responses.js';
import { selectPairs } from '../api/select-pairs.js';
import { METHODS, type BackendChoice, type FeatureArray, type Method, type PriorChoice, type SelectOptions } from '../types.js';
import { loadEmbeddings, readHead, readPairArray, readPromptIds, withOption, type Embeddings } from './arrays.js';
import { UsageError } from './errors.js';
import { defaultHead } from './head.js';
import { integer, positiveNumber, ridgeValue } from './numbers.js';
import { createPhases } from './phases.js';
import { selectionJson, selectionRows, withTexts } from './select-output.js';

interface SelectCliOptions {
  embeddings: string;
  column?: string;
  prompts?: string;
  head?: string;
  past?: string;
  responses?: string;
  format: OutputFormat;
  pool: string;
  crossSample?: number;
  method: Method;
  k: number;
  ridge: number | 'auto';
  prior?: PriorChoice;
  seed?: number;
  backend: BackendChoice;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

export function selectCommand(): Command {
  return new Command('select')
    .description('choose the k pairs most worth labeling and write them as JSONL (or one JSON object with --json)')
    .requiredOption('--embeddings <file>', '.npy of response features: [n, d] (with --prompts) or [prompts, responses, d]; float16/32/64; or .parquet / .arrow (see --column)')
    .option('--column <name>', 'with a Parquet or Arrow --embeddings: the list<float> / fixed_size_list<float> column (default: the only list column)')
    .option('--prompts <file>', '.npy of integer prompt ids, one per row of a 2-D --embeddings')
    .option('--head <file>', '.npy of the last layer weights w (length d); default: fitted on labeled --past pairs, else zeros')
    .option('--past <file>', 'JSONL of pairs already labeled: {"i":…,"j":…,"label":1 if i preferred else 0}, or {"id_i","id_j","label"} with --responses')
    .option('--responses <file>', 'JSONL, one line per embedding row: {"id", "prompt_id"?, "prompt"?, "response"?}; output then carries ids and texts')
    .addOption(new Option('--format <name>', 'output format: jsonl rows, a Label Studio task array, or Argilla records').choices(OUTPUT_FORMATS).default('jsonl'))
    .option('--pool <kind|file>', "candidate pairs: within, cross, all, or a file of pairs (.jsonl {\"i\",\"j\"} lines or an [m, 2] integer .npy)", 'within')
    .option('--cross-sample <n>', 'draw this many cross-prompt pairs (seeded) instead of all of them', integer(1))
    .addOption(new Option('--method <name>', 'selection rule').choices(METHODS).default('greedy-dopt'))
    .requiredOption('--k <n>', 'number of pairs to select', integer(1))
    .option('--ridge <tau|auto>', "ridge τ of the information matrix (and of the fitted head): a number > 0, or auto (the labels' Laplace evidence with labeled --past pairs, the pool's scale before)", ridgeValue, 'auto')
    .addOption(new Option('--prior <shape>', "shape of the ridge's prior: isotropic (τI), standardized (τ·diag(s²), s the features' per-axis spread: blind to per-axis units), or auto (with --ridge auto, the default: the labels' evidence chooses, isotropic before any label). Default with a fixed --ridge: isotropic").choices(['auto', 'isotropic', 'standardized']))
    .option('--seed <n>', 'seed for random, coreset, batchbald and --cross-sample (default 0)', integer(-2147483648, 4294967295))
    .addOption(new Option('--backend <name>', 'kernels to run on').choices(['auto', 'js', 'native', 'cuda']).default('auto'))
    .option('--out <file>', 'write the selection as JSONL, one pair a line')
    .option('--json', 'print one JSON object (pairs, scores, gains, logDet, method, backend, seconds) on stdout')
    .option('--quiet', 'no progress and no notes on stderr (errors still go there)')
    .action(async (o: SelectCliOptions) => runSelect(o));
}

async function runSelect(o: SelectCliOptions): Promise<void> {
  const phases = createPhases({ command: 'select', count: 4, quiet: o.quiet });
  try {
    phases.next('reading inputs');
    // A missing folder is known now; finding out after a long selection would waste it.
    if (o.out && !existsSync(dirname(resolve(o.out)))) throw new UsageError(`--out ${o.out}: cannot write (the folder does not exist); create it first`);
    const emb = await loadEmbeddings(o.embeddings, o.column);
    const prompts = promptLayout(emb, o);
    const responses = o.responses ? withOption('--responses', () => readResponses(o.responses!, emb.n)) : undefined;
    if (o.json && o.format !== 'jsonl') throw new UsageError(`--json prints one JSON object; drop it to get --format ${o.format}`);
    if (o.format !== 'jsonl' && !responses?.some((r) => r.response !== undefined)) {
      throw new UsageError(`--format ${o.format}: annotators need the texts; pass --responses responses.jsonl with "response" (and "prompt") fields`);
    }
    const past = o.past ? readPast(o.past, emb.n, responses) : undefined;
    const pool = readPool(o.pool, emb.n);
    requireBackend(o.backend);

    phases.next('fitting the head');
    let head: FeatureArray;
    // With a fitted head, its τ goes into M as well (one posterior), and is reported as the evidence's.
    let ridge = o.ridge;
    let prior = o.prior;
    let axisScale: Float64Array | undefined;
    let fittedByEvidence = false;
    if (o.prior === 'auto' && o.ridge !== 'auto') throw new UsageError(`--prior auto chooses the shape by the labels' evidence together with τ and needs --ridge auto (got --ridge ${o.ridge}); use --prior isotropic or standardized with a fixed τ`);
    if (o.head) head = readHead(o.head, emb.d);
    else {
      const choice = defaultHead(emb.features, emb.d, o.ridge, o.prior, past);
      head = choice.head;
      if (choice.ridge !== undefined) {
        fittedByEvidence = o.ridge === 'auto';
        ridge = choice.ridge;
        prior = choice.prior;
        axisScale = choice.axisScale;
      }
      if (choice.note) phases.note(choice.note);
    }

    phases.next(`selecting ${o.k} pairs (${o.method})`, o.k);
    const options: SelectOptions = {
      features: emb.features,
      dim: emb.d,
      ...prompts.layout,
      head,
      pool,
      crossSample: o.crossSample,
      method: o.method,
      k: o.k,
      ridge,
      prior,
      axisScale,
      past,
      seed: o.seed,
      backend: o.backend,
      onProgress: (p) => {
        if (p.phase === 'select') phases.update(p.done);
      },
    };
    const selection = await selectPairs(options);
    if (fittedByEvidence) selection.ridgeSource = 'evidence';

    phases.next('writing');
    const rows = withTexts(selectionRows(selection, prompts.promptOf), responses);
    const text = formatPairs(rows, o.format);
    if (o.out) writeOut(o.out, text);
    if (o.json) process.stdout.write(JSON.stringify(selectionJson(selection)) + '\n');
    else if (!o.out) process.stdout.write(text);
    else {
      const s = selection;
      phases.note(`wrote ${rows.length} pairs to ${o.out} (${s.method} on ${s.backend}, pool ${s.poolSize} pairs, log det ${s.logDet.toFixed(4)}, ${(s.timings.total / 1000).toFixed(3)} s)`);
    }
    phases.succeeded();
  } finally {
    phases.stop();
  }
}

/**
 * How prompts are known: 3-D files imply them; 2-D files take --prompts; a 2-D file without
 * --prompts treats each row as its own prompt (so `cross` and `all` are every pair) and refuses `within`.
 */
function promptLayout(
  emb: Embeddings,
  o: SelectCliOptions,
): { layout: Pick<SelectOptions, 'shape' | 'promptIds'>; promptOf: (i: number) => number } {
  if (emb.shape.length === 3) {
    if (o.prompts) {
      throw new UsageError(`--prompts: ${o.embeddings} is 3-D [prompts, responses, d], which already says which prompt each response answers; drop --prompts`);
    }
    const [p, r, d] = emb.shape as [number, number, number];
    return { layout: { shape: [p, r, d] }, promptOf: (i) => Math.floor(i / r) };
  }
  if (o.prompts) {
    const ids = readPromptIds(o.prompts, emb.n);
    return { layout: { promptIds: ids }, promptOf: (i) => ids[i]! };
  }
  if (o.pool === 'within') {
    throw new UsageError(
      `--pool within needs prompts: ${o.embeddings} is 2-D [n, d]; pass --prompts ids.npy, save it as [prompts, responses, d], or use --pool cross|all (each row its own prompt)`,
    );
  }
  const ids = new Int32Array(emb.n);
  for (let i = 0; i < emb.n; i++) ids[i] = i;
  return { layout: { promptIds: ids }, promptOf: (i) => i };
}

function readPast(path: string, n: number, responses?: ResponseRecord[]): LabeledPairs {
  return withOption('--past', () => {
    const past = readPastPairs(path, responses ? indexOfIds(responses) : undefined);
    checkPairRange(past.pairs, n, path);
    return past;
  });
}

function readPool(spec: string, n: number): SelectOptions['pool'] {
  if (spec === 'within' || spec === 'cross' || spec === 'all') return spec;
  if (!/\.(npy|jsonl?)$/i.test(spec)) {
    throw new UsageError(`--pool "${spec}": expected within, cross, all, or a .jsonl / .npy file of candidate pairs`);
  }
  return withOption('--pool', () => {
    const pairs = /\.npy$/i.test(spec) ? readPairArray(spec, '--pool') : readLabeledPairs(spec).pairs;
    checkPairRange(pairs, n, spec);
    return pairs;
  });
}

/**
 * Asking for a backend by name (or through ACTIVE_RM_BACKEND) that cannot load is a usage problem:
 * the fix is another --backend, so say so before any work is done.
 */
function requireBackend(choice: BackendChoice): void {
  const env = process.env[BACKEND_ENV];
  const fromEnv = choice === 'auto' && (env === 'native' || env === 'cuda');
  const name = fromEnv ? env : choice;
  if (name !== 'native' && name !== 'cuda') return;
  const info = backendInfo()[name];
  if (!info.available) {
    const asked = fromEnv ? `${BACKEND_ENV}=${name}` : `--backend ${name}`;
    throw new UsageError(`${asked}: the ${name} backend is not available here (${info.reason ?? 'unknown reason'}); use --backend js${fromEnv ? ` or unset ${BACKEND_ENV}` : ' or auto'}`);
  }
}

function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new UsageError(`--out ${path}: cannot write (${code}); check that the folder exists and is writable`);
  }
}
