/** `active-rm info`: what this install can run on, for bug reports and for choosing --backend. */
import { Command } from 'commander';
import { backendInfo } from '../backends/index.js';
import type { BackendInfo } from '../types.js';
import { cpuInfo } from './cpu.js';
import { packageVersion } from './version.js';

export function infoCommand(): Command {
  return new Command('info')
    .description('print versions, which backends loaded (and why others did not), and CPU features')
    .option('--json', 'print the backendInfo() object as JSON')
    .action((o: { json?: boolean }) => {
      const info = backendInfo();
      if (o.json) {
        process.stdout.write(JSON.stringify(info) + '\n');
        return;
      }
      process.stdout.write(formatInfo(info) + '\n');
    });
}

function formatInfo(info: BackendInfo): string {
  const cpu = cpuInfo();
  const status = (ok: boolean, detail: (string | undefined)[], reason?: string): string =>
    ok ? `available${detail.filter(Boolean).map((d) => `, ${d}`).join('')}` : `not available (${reason ?? 'no reason given'})`;
  return [
    `active-rm ${packageVersion()}`,
    `node      ${process.version} (${process.platform}-${process.arch})`,
    `cpu       ${cpu.model}, ${cpu.cores} cores, ${cpu.arch}${cpu.features ? `; ${cpu.features.join(' ') || 'no SIMD flags of interest'}` : ''}`,
    `backend   ${info.active} (what --backend auto uses here)`,
    `  js      available`,
    `  native  ${status(info.native.available, [info.native.simd && `simd ${info.native.simd}`, info.native.path], info.native.reason)}`,
    `  cuda    ${status(info.cuda.available, [info.cuda.device], info.cuda.reason)}`,
  ].join('\n');
}
