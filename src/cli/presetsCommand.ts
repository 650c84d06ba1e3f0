/** `plasticity-lab presets [--write DIR]`: lists the shipped experiments, or copies them out. */
import { existsSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import Table from 'cli-table3';
import { listPresets } from '../engine/presets';
import { packageRoot } from '../engine/packageRoot';
import { ensureFolder, writeFileNamed } from '../runFiles/fileErrors';

export function presetsCommand(options: { write?: string; force: boolean }): number {
  const presets = listPresets();
  if (!options.write) {
    const table = new Table({ head: ['preset', 'name', 'what it shows'], style: { head: [], border: [] }, colWidths: [22, 26, 70], wordWrap: true });
    for (const p of presets) table.push([p.id, p.config.name, p.config.description ?? '']);
    process.stdout.write(`${table.toString()}\n`);
    return 0;
  }
  const dir = resolve(options.write);
  ensureFolder(dir, '--write');
  const clashes = presets.map((p) => join(dir, basename(p.file))).filter((f) => existsSync(f));
  if (clashes.length > 0 && !options.force) {
    process.stderr.write(`error: these files exist already (use --force to overwrite):\n${clashes.map((f) => `  ${f}`).join('\n')}\n`);
    return 2;
  }
  for (const p of presets) {
    const target = join(dir, basename(p.file));
    // The shipped $schema is relative to presets/; point the copy at the same schema from where it lands.
    const schema = relative(dir, join(packageRoot(), 'schema', 'plasticity.schema.json')).split(sep).join('/');
    writeFileNamed(target, p.text.replace(/"\$schema":\s*"[^"]*"/, `"$schema": ${JSON.stringify(schema)}`));
    process.stdout.write(`${target}\n`);
  }
  return 0;
}
