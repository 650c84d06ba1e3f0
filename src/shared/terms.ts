/**
 * The names of the rule's terms, in one place for the engine and the webviews (no dependencies):
 * the local terms of rule.terms beyond the error term and Oja's, and all of them with those two first.
 */
export const EXTRA_TERMS = ['errorHebbian', 'ojaSingle', 'sanger', 'hebbian', 'decay'] as const;
export const ALL_TERMS = ['error', 'oja', ...EXTRA_TERMS] as const;
