/** One sweep member's input: the resolved base with the member's values set. */
import { TERM_ALIASES } from './schema';
import { deletePath, getPath, setPath } from './paths';

/**
 * A member's values, path by path: a joined axis ("rule,meta.learn") sets each of its paths from the
 * list its value is (validated to have one entry per path).
 */
export function pathAssignments(assignments: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(assignments).flatMap(([field, value]): Array<[string, unknown]> => {
    if (!field.includes(',')) return [[field, value]];
    const paths = field.split(',');
    return Array.isArray(value) && value.length === paths.length ? paths.map((path, i): [string, unknown] => [path, value[i]]) : [];
  });
}

/**
 * The base is resolved, so it always holds rule.learningRate and rule.oja; a member that sets their
 * other names (rule.terms.error, rule.terms.oja, directly or inside a swept object) replaces them.
 */
export function memberInput(base: object, assignments: Record<string, unknown>): Record<string, unknown> {
  const member = structuredClone(base) as Record<string, unknown>;
  delete member.sweep;
  const paths = pathAssignments(assignments);
  for (const [field, value] of paths) setPath(member, field, value);
  for (const [alias, field] of TERM_ALIASES) {
    const aliasPath = `rule.terms.${alias}`;
    const setByMember = paths.some(([key]) => aliasPath === key || aliasPath.startsWith(`${key}.`));
    if (setByMember && getPath(member, aliasPath) !== undefined) deletePath(member, `rule.${field}`);
  }
  return member;
}
