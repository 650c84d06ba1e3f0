/// <reference types="mocha" />
/** Integration tests inside VS Code's real extension host (see test/vscode/bin/code). */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PlasticityApi } from '../../../src/extension/extension';
import type { TrackedRun } from '../../../src/host/runManager';
import { validateExperiment } from '../../../src/engine/config/validate';
import packageJson from '../../../package.json';

const workspace = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
let api: PlasticityApi;

function settled(run: TrackedRun, timeoutMs = 90_000): Promise<TrackedRun> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`run ${run.jobId} still ${run.state}`)), timeoutMs).unref());
  return Promise.race([api.manager.settled(run), timeout]);
}

function shortExperiment(name: string, extra: Record<string, unknown> = {}): vscode.Uri {
  const file = join(workspace(), `${name}.plasticity.json`);
  const experiment = { name, data: { source: 'mnist', trainSize: 500, testSize: 200 }, model: { layers: [784, 30, 10] }, rule: { oja: 0.001 }, training: { steps: 300, evalEvery: 100, probeSize: 50 }, ...extra };
  writeFileSync(file, JSON.stringify(experiment, null, 2));
  return vscode.Uri.file(file);
}

/** Resolves once `run` has streamed a point at `step` or later. */
function pointAt(run: TrackedRun, step: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const sub = api.manager.onDidChange((c) => {
      if (c.run === run && c.kind === 'point' && c.point.step >= step) {
        sub.dispose();
        resolve();
      }
    });
  });
}

async function runFile(uri: vscode.Uri): Promise<TrackedRun[]> {
  const { jobIds, issues } = await vscode.commands.executeCommand<{ jobIds: string[]; issues: string[] }>('plasticity.runExperiment', uri);
  assert.deepEqual(issues, []);
  return jobIds.map((id) => api.manager.get(id)!);
}

suite('Plasticity Lab in VS Code', () => {
  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<PlasticityApi>('plasticity-lab.plasticity-lab');
    assert.ok(extension, 'the extension is installed');
    api = await extension.activate();
  });

  test('activates, and every contributed command is registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = packageJson.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 8);
    for (const id of contributed) assert.ok(registered.has(id), `${id} is registered`);
  });

  test('New Experiment writes a valid experiment file from a preset', async () => {
    const target = vscode.Uri.file(join(workspace(), 'from-preset.plasticity.json'));
    await vscode.commands.executeCommand('plasticity.newExperiment', 'online-learning', target);
    const document = JSON.parse(readFileSync(target.fsPath, 'utf8'));
    const result = validateExperiment(document);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
    assert.equal(result.ok && result.config.name, 'online learning');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath, 'and opens it');
  });

  test('Run Experiment makes a completed run folder that the Runs view lists', async () => {
    const [run] = await runFile(shortExperiment('short'));
    await settled(run!);
    assert.equal(run!.state, 'completed');
    const summary = JSON.parse(readFileSync(join(run!.runDir!, 'summary.json'), 'utf8'));
    assert.equal(summary.status, 'completed');
    assert.equal(readFileSync(join(run!.runDir!, 'metrics.jsonl'), 'utf8').trim().split('\n').length, 4);
    const groups = await api.tree.getChildren();
    const listed = groups.flatMap((g) => api.tree.getChildren(g)).map((item) => (item as { runDir?: string }).runDir);
    assert.ok(listed.includes(run!.runDir), 'listed in the Runs view');
  });

  test('Stop leaves a stopped run with its points', async () => {
    const [run] = await runFile(shortExperiment('long', { training: { steps: 10_000_000, evalEvery: 500, probeSize: 50 } }));
    await pointAt(run!, 1000);
    await vscode.commands.executeCommand('plasticity.stopRun', run!.runDir);
    await settled(run!);
    assert.equal(run!.state, 'stopped');
    const summary = JSON.parse(readFileSync(join(run!.runDir!, 'summary.json'), 'utf8'));
    assert.equal(summary.status, 'stopped');
    assert.ok(summary.steps >= 1000);
    assert.ok(readFileSync(join(run!.runDir!, 'metrics.jsonl'), 'utf8').trim().split('\n').length >= 3);
  });

  test('a stopped meta-learning run resumes from the palette command in its own folder, to the end', async () => {
    const [run] = await runFile(
      shortExperiment('meta', {
        model: { layers: [784, 10, 10] },
        training: { episodes: { ways: 2, shots: 2, queries: 2, classes: 'train' } },
        meta: { trainClasses: [0, 1], testClasses: [2, 3], learn: ['error'], episodes: 300 },
      }),
    );
    await pointAt(run!, 5);
    await vscode.commands.executeCommand('plasticity.stopRun', run!.runDir);
    await settled(run!);
    assert.equal(run!.state, 'stopped');
    const [jobId] = await vscode.commands.executeCommand<string[]>('plasticity.resumeRun', run!.runDir);
    const resumed = api.manager.get(jobId!)!;
    await settled(resumed);
    assert.equal(resumed.state, 'completed');
    assert.equal(resumed.runDir, run!.runDir);
    assert.equal(JSON.parse(readFileSync(join(run!.runDir!, 'learned-rule.json'), 'utf8')).metaEpisodes, 300);
    assert.equal(readFileSync(join(run!.runDir!, 'metrics.jsonl'), 'utf8').trim().split('\n').length, 300);
  });

  test('Rerun reuses a warm worker and gives the same numbers', async () => {
    const [first] = await runFile(shortExperiment('again'));
    await settled(first!);
    const [jobId] = await vscode.commands.executeCommand<string[]>('plasticity.rerun', first!.runDir);
    const second = api.manager.get(jobId!)!;
    await settled(second);
    assert.equal(second.warm, true, 'served by a worker that had run before');
    assert.deepEqual(second.points.map((p) => p.testLoss), first!.points.map((p) => p.testLoss));
  });

  test('a deleted run leaves the dashboard and does not come back', async () => {
    const [kept] = await runFile(shortExperiment('kept'));
    await settled(kept!);
    const [doomed] = await runFile(shortExperiment('doomed', { rule: { oja: 0.002 } }));
    await settled(doomed!);
    api.dashboard.show([kept!.runDir!, doomed!.runDir!], { replace: true });
    assert.deepEqual([...api.dashboard.shownKeys], [kept!.runDir, doomed!.runDir]);
    // Deleted outside the Runs view: the next snapshot (the panel shown again) drops it.
    rmSync(doomed!.runDir!, { recursive: true });
    api.dashboard.show();
    assert.deepEqual([...api.dashboard.shownKeys], [kept!.runDir]);
    // Deleted from the Runs view: the command tells the dashboard at once.
    api.dashboard.forget([kept!.runDir!]);
    assert.deepEqual([...api.dashboard.shownKeys], []);
  });

  test('an invalid experiment file reports its errors and runs nothing', async () => {
    const file = join(workspace(), 'broken.plasticity.json');
    writeFileSync(file, JSON.stringify({ rule: { learningRate: -1, oja: 'lots' } }));
    const before = api.manager.active().length;
    const { jobIds, issues } = await vscode.commands.executeCommand<{ jobIds: string[]; issues: string[] }>('plasticity.runExperiment', vscode.Uri.file(file));
    assert.deepEqual(jobIds, []);
    assert.deepEqual([...issues].sort(), ['rule.learningRate: -1 is not allowed; must be >= 0', 'rule.oja: "lots" is not allowed; expected a number >= 0, or a list of numbers >= 0 with one per weight layer']);
    assert.equal(api.manager.active().length, before);
    // Text that is not JSON names the line and column, as the command line does. (A file not opened
    // before: VS Code answers for an open one from its document, not the disk.)
    const notJson = join(workspace(), 'not-json.plasticity.json');
    writeFileSync(notJson, '{\n  "name": "x",\n}');
    const broken = await vscode.commands.executeCommand<{ jobIds: string[]; issues: string[] }>('plasticity.runExperiment', vscode.Uri.file(notJson));
    assert.deepEqual(broken.jobIds, []);
    assert.match(broken.issues.join('\n'), /not valid JSON at line 3, column 1/);
  });

  test('Export writes CSV and JSON', async () => {
    const [run] = await runFile(shortExperiment('exported'));
    await settled(run!);
    const target = vscode.Uri.file(join(workspace(), 'export.csv'));
    const written = await vscode.commands.executeCommand<{ csv: string; json: string }>('plasticity.exportRun', run!.runDir, undefined, target);
    assert.ok(existsSync(written.csv) && existsSync(written.json));
    const lines = readFileSync(written.csv, 'utf8').trim().split('\n');
    assert.match(lines[0]!, /^run,label,step,epoch,trainLoss,testLoss,testAccuracy,elapsedSec,layer1\.weightNorm/);
    assert.equal(lines.length, 1 + 4);
    const json = JSON.parse(readFileSync(written.json, 'utf8'));
    assert.equal(json.runs[0].points.length, 4);
  });

  test('Reproduce the Paper runs on the warm pool into the Paper report tab; its buttons open the runs and an experiment', async () => {
    const folder = await vscode.commands.executeCommand<string>('plasticity.reproducePaper', { mode: 'quick', claims: ['hebbian-only', 'pca'], seeds: 2, steps: 100 });
    assert.ok(folder && folder.startsWith(join(workspace(), '.plasticity', 'reproductions')), folder);
    const report = JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8'));
    assert.deepEqual(report.claims.map((c: { id: string }) => c.id), ['hebbian-only', 'pca']);
    const shown = api.report.shown!;
    assert.equal(shown.view.folder, folder);
    assert.equal(shown.view.status, 'completed');
    assert.deepEqual(shown.view.claims.map((c) => c.result?.verdict), report.claims.map((c: { verdict: string }) => c.verdict));
    assert.ok(shown.view.claims.every((c) => c.hasRuns));

    // Open these runs: the dashboard shows exactly the claim's runs (Oja alone and BP + Oja, two seeds each).
    await api.report.act('openRuns', 'hebbian-only');
    const expected = report.arms.filter((a: { id: string }) => ['oja-alone', 'bp-oja-fixed'].includes(a.id)).flatMap((a: { runs: Array<{ runDir: string }> }) => a.runs.map((r) => r.runDir));
    assert.deepEqual([...api.dashboard.shownKeys].sort(), expected.sort());

    // Open as experiment: the PCA comparison as a valid file sweeping θ and the seeds, opened in an editor.
    const file = await api.report.act('openExperiment', 'pca');
    assert.ok(file && file.endsWith('pca.plasticity.json'));
    const experiment = JSON.parse(readFileSync(file, 'utf8'));
    const result = validateExperiment(experiment);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.issues));
    assert.deepEqual(experiment.sweep, { 'rule.oja': [0, 0.01], seed: [1, 2] });
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
    // A second time writes beside it: an edited copy is never overwritten.
    assert.ok((await api.report.act('openExperiment', 'pca'))!.endsWith('pca-2.plasticity.json'));
    assert.equal(await api.report.act('openRuns', 'no-such-claim'), undefined);
  });

  test('Open Paper Report reads a report folder (as the command line writes one) and refuses a file that is not one', async () => {
    const folder = api.report.shown!.view.folder;
    api.report.show({ ...api.report.shown!, view: { ...api.report.shown!.view, folder: 'elsewhere' } });
    assert.equal(await vscode.commands.executeCommand('plasticity.openPaperReport', folder), folder);
    assert.equal(api.report.shown!.view.folder, folder);
    assert.equal(api.report.shown!.view.claims.length, 2);
    const notReport = join(workspace(), 'not-a-report.json');
    writeFileSync(notReport, JSON.stringify({ format: 'something else' }));
    assert.equal(await vscode.commands.executeCommand('plasticity.openPaperReport', notReport), undefined);
    assert.equal(api.report.shown!.view.folder, folder, 'the tab keeps the report it had');
  });
});
