/** `active-rm labels --from label-studio|argilla FILE`: an annotation tool's export as `--past` JSONL. */
import { Command, Option } from 'commander';
import { INPUT_FORMATS, type InputFormat } from '../io/annotation-formats.js';
import { readLabelFile } from './campaign.js';

export function labelsCommand(): Command {
  return new Command('labels')
    .description('convert an annotation tool export into JSONL labels {"id_i","id_j","label"} for --past or campaign import')
    .argument('<file>', 'the export (Label Studio: JSON array of tasks; Argilla: JSONL records)')
    .addOption(new Option('--from <tool>', 'which tool wrote it').choices(INPUT_FORMATS).makeOptionMandatory())
    .option('--out <file>', 'write here instead of stdout')
    .action(async (file: string, o: { from: InputFormat; out?: string }) => {
      const { labels, skipped, total } = readLabelFile(file, o.from);
      const text = labels.map((l) => JSON.stringify(l)).join('\n') + (labels.length ? '\n' : '');
      if (o.out) (await import('node:fs')).writeFileSync(o.out, text);
      else process.stdout.write(text);
      process.stderr.write(`${labels.length} labels from ${total} ${o.from === 'label-studio' ? 'tasks' : 'records'}${skipped ? `; skipped ${skipped} unannotated` : ''}\n`);
    });
}
