/**
 * "Open as experiment": a claim's comparison as a *.plasticity.json to tweak and rerun. From the
 * configs its two arms really ran (their run folders' config.json, tuned values in): where they
 * differ in one field, a sweep over that field's two values and the seeds reruns the comparison
 * itself; where they differ in more, the file is the treatment arm over the seeds, and its
 * description names what the baseline changes.
 */
import { differingFields, flatten } from '../shared/configDiff';

export interface ArmConfig {
  id: string;
  config: Record<string, unknown>;
}

export function claimExperiment(title: string, baseline: ArmConfig, treatment: ArmConfig, seeds: number[]): Record<string, unknown> {
  const strip = (config: Record<string, unknown>) => {
    const copy = structuredClone(config);
    for (const key of ['name', 'seed', 'sweep', 'description', '$schema']) delete copy[key];
    return copy;
  };
  const [base, treated] = [strip(baseline.config), strip(treatment.config)];
  const differing = differingFields([flatten(base), flatten(treated)]);
  const seedSweep = seeds.length > 1 ? { seed: seeds } : {};
  if (differing.length === 1) {
    const field = differing[0]!;
    const value = (config: Record<string, unknown>) => JSON.parse(flatten(config)[field] ?? 'null') as unknown;
    return {
      name: title,
      description: `${baseline.id} against ${treatment.id} from the reproduction, over ${field} and the seeds.`,
      seed: seeds[0] ?? 1,
      ...treated,
      sweep: { [field]: [value(base), value(treated)], ...seedSweep },
    };
  }
  const changes = differing.map((field) => `${field} = ${flatten(base)[field] ?? 'unset'}`).join(', ');
  return {
    name: title,
    description: `${treatment.id} from the reproduction, over the seeds. Its baseline ${baseline.id} differs in ${differing.length} fields: ${changes}.`,
    seed: seeds[0] ?? 1,
    ...treated,
    ...(seeds.length > 1 ? { sweep: seedSweep } : {}),
  };
}
