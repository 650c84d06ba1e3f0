/**
 * The form's check of a draft, run on every edit: the schema's issues first; for a valid draft,
 * whether its layer sizes fit the data it names (read from file headers, so it stays fast).
 */
import { validateExperiment } from '../engine/config/validate';
import type { ExperimentConfig } from '../engine/config/schema';
import type { ConfigIssue } from '../engine/config/issues';
import { dataShape, modelFitIssues } from '../engine/data/shape';

export function checkDraft(draft: unknown, baseDir: string): { config: ExperimentConfig | null; issues: ConfigIssue[] } {
  const result = validateExperiment(draft);
  if (!result.ok) return { config: null, issues: result.issues };
  const shape = dataShape(result.config, baseDir);
  const issues = shape ? modelFitIssues(result.config, shape) : [];
  return { config: issues.length === 0 ? result.config : null, issues };
}
