/** One sweep member's input: the resolved base with the member's values set. */
import { TERM_ALIASES } from './schema';
import { deletePath, getPath, setPath } from './paths';

/**
 * The base is resolved, so it always holds rule.learningRate and rule.oja; a member that sets their
 * other names (rule.terms.error, rule.terms.oja, directly or inside a swept object) replaces them.
 */
export function memberInput(base: object, assignments: Record<string, unknown>): Record<string, unknown> {
  const member = structuredClone(base) as Record<string, unknown>;
  delete member.sweep;
  for (const [field, value] of Object.entries(assignments)) setPath(member, field, value);
  for (const [alias, field] of TERM_ALIASES) {
    const aliasPath = `rule.terms.${alias}`;
    const setByMember = Object.keys(assignments).some((key) => aliasPath === key || aliasPath.startsWith(`${key}.`));
    if (setByMember && getPath(member, aliasPath) !== undefined) deletePath(member, `rule.${field}`);
  }
  return member;
}
