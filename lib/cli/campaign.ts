/**
 * `active-rm campaign …`: the labeling loop on a durable store (lib/campaign). Store problems
 * (foreign or damaged file, missing driver) and refused inputs are usage errors: the fix is in
 * the message.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { CampaignInputError, initCampaign, openCampaign, type Campaign } from '../campaign/campaign.js';
import { CampaignStoreError } from '../campaign/store.js';
import { formatPairs, INPUT_FORMATS, OUTPUT_FORMATS, readAnnotations, type IdLabel, type InputFormat, type OutputFormat } from '../io/annotation-formats.js';
import { InputFileError } from '../io/errors.js';
import { readJsonl } from '../io/jsonl.js';
import { readResponses } from '../io/responses.js';
import { METHODS, type BackendChoice, type Method, type PoolKind } from '../types.js';
import { loadEmbeddings, withOption } from './arrays.js';
import { UsageError } from './errors.js';
import { integer } from './numbers.js';
import { createPhases } from './phases.js';

/** Runs a command on an open store and always closes it; store and input refusals become usage errors. */
async function withStore<T>(path: string, run: (c: Campaign) => T | Promise<T>): Promise<T> {
  const campaign = asUsage(() => openCampaign(path));
  try {
    return await asUsageAsync(() => run(campaign));
  } finally {
    campaign.close();
  }
}

function asUsage<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    throw toUsage(err);
  }
}

async function asUsageAsync<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toUsage(err);
  }
}

function toUsage(err: unknown): unknown {
  if (err instanceof CampaignStoreError || err instanceof CampaignInputError) return new UsageError(err.message);
  return err;
}

const storeOption = (): Option => new Option('--store <file>', 'campaign store (SQLite file made by `campaign init`)').makeOptionMandatory();

export function campaignCommand(): Command {
  const cmd = new Command('campaign').description('run the labeling loop on a durable store: init, add, next, import, status, export');
  cmd.addCommand(
    new Command('init')
      .description('create a new campaign store')
      .addOption(storeOption())
      .option('--dim <d>', 'feature dimension (default: taken from the first add)', integer(1))
      .action((o: { store: string; dim?: number }) => {
        asUsage(() => initCampaign(o.store, { dim: o.dim })).close();
        process.stderr.write(`created campaign store ${o.store}\n`);
      }),
  );
  cmd.addCommand(
    new Command('add')
      .description('add candidate responses (features and ids), in any round')
      .addOption(storeOption())
      .requiredOption('--embeddings <file>', '.npy [n, d] (or [prompts, responses, d]) of response features, or .parquet / .arrow')
      .option('--column <name>', 'with Parquet / Arrow: the embeddings column (default: the only list column)')
      .requiredOption('--responses <file>', 'JSONL, one line per embedding row: {"id", "prompt_id"?, "prompt"?, "response"?}')
      .action(async (o: { store: string; embeddings: string; column?: string; responses: string }) => {
        const emb = await loadEmbeddings(o.embeddings, o.column);
        const records = withOption('--responses', () => readResponses(o.responses, emb.n));
        const r = await withStore(o.store, (c) => c.add(emb.features, emb.d, records));
        process.stderr.write(`added ${r.added} responses (${r.total} in the store)\n`);
      }),
  );
  cmd.addCommand(
    new Command('next')
      .description('select k pairs never issued before, record them as the next round, then write them')
      .addOption(storeOption())
      .requiredOption('--k <n>', 'number of pairs', integer(1))
      .addOption(new Option('--method <name>', 'selection rule').choices(METHODS).default('greedy-dopt'))
      .addOption(new Option('--pool <kind>', 'candidate pairs (default: within when every response has a prompt_id, else all)').choices(['within', 'cross', 'all']))
      .option('--seed <n>', 'seed for the random rules (default: the round number)', integer(-2147483648, 4294967295))
      .addOption(new Option('--backend <name>', 'kernels to run on').choices(['auto', 'js', 'native', 'cuda']).default('auto'))
      .addOption(new Option('--format <name>', 'batch file format').choices(OUTPUT_FORMATS).default('jsonl'))
      .requiredOption('--out <file>', 'batch file to write (the batch is recorded in the store first)')
      .option('--quiet', 'no progress and no notes on stderr (errors still go there)')
      .action(async (o: { store: string; k: number; method: Method; pool?: PoolKind; seed?: number; backend: BackendChoice; format: OutputFormat; out: string; quiet?: boolean }) => {
        // Refuse an unwritable destination before a round is recorded for it.
        if (!existsSync(dirname(resolve(o.out)))) throw new UsageError(`--out ${o.out}: the folder does not exist; create it first`);
        const phases = createPhases({ command: 'campaign next', count: 5, quiet: o.quiet });
        try {
          const batch = await withStore(o.store, (c) =>
            c.next({
              k: o.k, method: o.method, pool: o.pool, seed: o.seed, backend: o.backend,
              onPhase: (p, total) => phases.next(p, total),
              onProgress: (p) => {
                if (p.phase === 'select') phases.update(p.done);
              },
            }),
          );
          phases.next('writing');
          writeBatch(o.out, formatPairs(batch.rows, o.format), batch.round, o.store);
          phases.note(batch.headNote);
          phases.note(`round ${batch.round}: wrote ${batch.rows.length} pairs to ${o.out} (${batch.method}, ${batch.pool} pool of ${batch.poolSize} pairs never issued, τ = ${batch.ridge}, ${batch.prior} prior)`);
          phases.succeeded();
        } finally {
          phases.stop();
        }
      }),
  );
  cmd.addCommand(
    new Command('batch')
      .description('write an issued round again (e.g. when `next` was interrupted after recording it)')
      .addOption(storeOption())
      .requiredOption('--round <r>', 'round number', integer(1))
      .addOption(new Option('--format <name>', 'batch file format').choices(OUTPUT_FORMATS).default('jsonl'))
      .requiredOption('--out <file>', 'batch file to write')
      .action(async (o: { store: string; round: number; format: OutputFormat; out: string }) => {
        const rows = await withStore(o.store, (c) => c.batch(o.round));
        writeBatch(o.out, formatPairs(rows, o.format), o.round, o.store);
        process.stderr.write(`wrote round ${o.round} (${rows.length} pairs) to ${o.out}\n`);
      }),
  );
  cmd.addCommand(
    new Command('import')
      .description('record annotators\' labels (idempotent; labels for pairs never issued are refused)')
      .addOption(storeOption())
      .argument('<file>', 'labels: JSONL {"id_i","id_j","label"} (label 1 when id_i preferred), or a tool export with --from')
      .addOption(new Option('--from <tool>', 'read an annotation tool export').choices(INPUT_FORMATS))
      .action(async (file: string, o: { store: string; from?: InputFormat }) => {
        const { labels, skipped } = readLabelFile(file, o.from);
        const r = await withStore(o.store, (c) => c.importLabels(labels));
        const skip = skipped > 0 ? `; skipped ${skipped} unannotated tasks` : '';
        process.stderr.write(`imported ${r.added} new labels (${r.unchanged} already recorded${skip})\n`);
      }),
  );
  cmd.addCommand(
    new Command('status')
      .description('counts: responses, pairs issued / labeled / pending, rounds, τ')
      .addOption(storeOption())
      .option('--json', 'print one JSON object')
      .action(async (o: { store: string; json?: boolean }) => {
        const s = await withStore(o.store, (c) => c.status());
        if (o.json) process.stdout.write(JSON.stringify(s) + '\n');
        else {
          process.stdout.write(
            `responses ${s.responses} (${s.prompts} prompts, d = ${s.dim ?? '?'})\n` +
              `pairs issued ${s.pairsIssued}, labeled ${s.pairsLabeled}, pending ${s.pairsPending}\n` +
              `rounds ${s.rounds}, τ ${s.ridge === null ? '(none yet)' : `${s.ridge} (${s.prior} prior)`}\n`,
          );
        }
      }),
  );
  cmd.addCommand(
    new Command('export')
      .description('all labels so far as JSONL {"id_i","id_j","label","i","j","round"}')
      .addOption(storeOption())
      .option('--out <file>', 'write here instead of stdout')
      .action(async (o: { store: string; out?: string }) => {
        const labels = await withStore(o.store, (c) => c.labels());
        const text = labels.map((l) => JSON.stringify(l)).join('\n') + (labels.length ? '\n' : '');
        if (o.out) writeBatch(o.out, text, undefined, o.store);
        else process.stdout.write(text);
      }),
  );
  return cmd;
}

function writeBatch(path: string, text: string, round: number | undefined, store: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    const again = round !== undefined ? `; round ${round} is recorded, write it again with \`campaign batch --store ${store} --round ${round} --out FILE\`` : '';
    throw new UsageError(`--out ${path}: cannot write (${code})${again}`);
  }
}

/** Labels from our JSONL (ids or indices) or from a tool export. */
export function readLabelFile(file: string, from?: InputFormat): { labels: IdLabel[]; skipped: number; total: number } {
  return withOption(from ? `--from ${from}` : 'labels', () => {
    if (from) return readAnnotations(file, from);
    const rows = readJsonl(file);
    const labels = rows.map(({ line, value }): IdLabel => {
      const rec = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
      const label = rec.label;
      if (label !== 0 && label !== 1 && label !== true && label !== false) {
        throw new InputFileError(file, `line ${line}: "label" must be 1 (id_i preferred) or 0 (id_j preferred), got ${JSON.stringify(label)}`);
      }
      const l = Number(label) as 0 | 1;
      if (rec.id_i !== undefined && rec.id_j !== undefined) return { id_i: String(rec.id_i), id_j: String(rec.id_j), label: l };
      if (Number.isSafeInteger(rec.i) && Number.isSafeInteger(rec.j)) return { i: rec.i as number, j: rec.j as number, label: l };
      throw new InputFileError(file, `line ${line}: expected {"id_i": …, "id_j": …, "label": 0|1}`);
    });
    return { labels, skipped: 0, total: rows.length };
  });
}
