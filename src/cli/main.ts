/** The `plasticity-lab` command line: run, presets, export, bench. Exit codes: 0 ok, 1 a run did not complete, 2 bad input. */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { version } from '../../package.json';
import { isBadInput } from '../engine/badInput';
import { ConfigError, formatIssue } from '../engine/config/issues';
import { describeFileError, UsageError } from '../runFiles/fileErrors';
import { BACKENDS } from '../engine/backend';
import { EXECUTORS } from '../engine/executors/executor';
import { parseShard } from '../engine/config/shard';
import { EXIT, runCommand } from './runCommand';
import { resumeCommand } from './resumeCommand';
import { presetsCommand } from './presetsCommand';
import { BENCH_CASES, benchCommand, type BenchCase } from './benchCommand';
import { exportCommand } from './exportCommand';
import { reproduceCommand } from './reproduceCommand';

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${JSON.stringify(text)} is not a whole number >= 1`);
  return value;
}

function workerCount(text: string): number | 'auto' {
  if (text === 'auto') return 'auto';
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${JSON.stringify(text)} is neither "auto" nor a whole number >= 1`);
  return value;
}

/** A parser for a comma-separated list of names from `allowed`, naming any other. */
function namesFrom<Name extends string>(allowed: readonly Name[], what: string): (text: string) => Name[] {
  return (text) => {
    const names = text.split(',').map((name) => name.trim());
    const unknown = names.filter((name) => !(allowed as readonly string[]).includes(name));
    if (unknown.length > 0) throw new InvalidArgumentError(`${unknown.join(', ')}: not ${what}; use ${allowed.join(', ')}`);
    return names as Name[];
  };
}

const backendList = namesFrom(BACKENDS, 'a backend');
const benchCases = namesFrom<BenchCase>(BENCH_CASES, 'a bench case');

function positiveNumber(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`${JSON.stringify(text)} is not a number > 0`);
  return value;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('plasticity-lab')
    .description("Train networks with backprop or feedback alignment plus Oja's rule (arXiv 2408.08408).")
    .version(version)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });

  program
    .command('run')
    .description('run an experiment file (every member of its sweep)')
    .argument('<file>', 'a *.plasticity.json experiment (with --resume: a stopped meta-learning run\'s folder)')
    .option('--out <dir>', 'folder for run folders', '.plasticity/runs')
    .option('--set <path=value>', 'override a field, e.g. --set rule.oja=0.001 (repeatable)', collect, [])
    .option('--steps <n>', 'train for N steps (replaces training.epochs/steps)', positiveInteger)
    .option('--save-weights', 'write weights.json in each run folder', false)
    .option('--json', 'print one JSON object per finished run on stdout', false)
    .addOption(new Option('--backend <name>', 'tensor backend').choices(['auto', ...BACKENDS]).default('auto'))
    .addOption(new Option('--executor <name>', 'training executor (auto: online at batch size 1; online-js is its plain TypeScript reference)').choices(['auto', ...EXECUTORS]).default('auto'))
    .option('--workers <k>', 'run sweep members on K worker processes at once (auto: one per core; 1: one after another in this process)', workerCount, 'auto')
    .option('--yes', 'run a sweep of more than 10,000 members without asking', false)
    .option('--resume', 'go on with a stopped meta-learning run (meta.learn) in its folder, from where it stopped', false)
    .option('--shard <i/n>', 'run only the i-th of n slices of the sweep (for job arrays)', (text) => {
      try {
        parseShard(text);
        return text;
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
    })
    .action(async (file: string, options) => setExit(options.resume ? await resumeCommand(file, options) : await runCommand(file, options)));

  program
    .command('reproduce')
    .description("run the paper's claims over seeds and write a report with a verdict per claim")
    .option('--quick', 'the quick reproduction: 3 seeds, fewer grid points (default)', true)
    .option('--full', 'the full reproduction: 5 seeds, every depth and gain, a wider tuning grid', false)
    .option('--claims <ids>', 'only these claims, comma-separated', (text) => text.split(',').map((id) => id.trim()).filter(Boolean))
    .option('--seeds <n>', 'seeds per arm', positiveInteger)
    .option('--data <set>', 'mnist (the bundled digits), fashion-mnist, or idx:DIR (a folder of the four IDX files)', 'mnist')
    .option('--out <dir>', 'folder for the report and its runs (default .plasticity/reproductions/<id>)')
    .option('--workers <k>', 'worker processes (auto: one per core)', workerCount, 'auto')
    .option('--steps <n>', 'cap every run at N steps (a quick check of the machinery, not a result)', positiveInteger)
    .action(async (options) => setExit(await reproduceCommand(options)));

  program
    .command('export')
    .description('export runs as CSV (a row per evaluation point) or JSON')
    .argument('<runDir...>', 'run folders, or folders of run folders (e.g. a sweep\'s --out)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('--out <file>', 'write to FILE instead of stdout')
    .action((runDirs: string[], options) => setExit(exportCommand(runDirs, options)));

  program
    .command('presets')
    .description('list the preset experiments, or write them to a folder')
    .option('--write <dir>', 'copy the preset files into DIR')
    .option('--force', 'overwrite files that exist', false)
    .action((options) => setExit(presetsCommand(options)));

  program
    .command('bench')
    .description('measure training and evaluation speed of each executor and backend')
    .option('--repeats <n>', 'repeats per case (the median is reported)', positiveInteger, 3)
    .option('--scale <x>', 'multiply the number of timed steps', positiveNumber, 1)
    .option('--layers <sizes>', 'network, e.g. 784-256-256-256-10', (text) => text.split('-').map(positiveInteger))
    .addOption(new Option('--backends <names>', 'TensorFlow.js backends to measure, comma-separated (default: every one that loads)').argParser(backendList))
    .addOption(new Option('--only <cases>', `measure only these groups, comma-separated: ${BENCH_CASES.join(', ')}`).argParser(benchCases))
    .option('--json', 'print JSON', false)
    .action(async (options) => setExit(await benchCommand(options)));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT.badInput;
    if (error instanceof ConfigError) {
      // One line per problem, each naming the file and the field.
      for (const issue of error.issues) process.stderr.write(`error: ${[error.source, formatIssue(issue)].filter(Boolean).join(': ')}\n`);
      return EXIT.badInput;
    }
    if (isBadInput(error) || error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    const fileProblem = describeFileError(error);
    if (fileProblem) {
      process.stderr.write(`error: ${fileProblem.line}\n`);
      return fileProblem.exitCode;
    }
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.runFailed;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
