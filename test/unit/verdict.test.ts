/** The verdict rule on synthetic numbers: every verdict reachable, divergences counted. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compareArms, type VerdictRule } from '../../src/reproduce/verdict';

const accuracy: VerdictRule = { margin: 0.02, direction: 'higher', divergedValue: 0.1 };
const arm = (values: number[], diverged = 0) => ({ values, diverged });

describe('verdicts', () => {
  it('supported: a clear gain beyond the margin', () => {
    const c = compareArms(arm([0.11, 0.12, 0.1]), arm([0.7, 0.75, 0.72]), accuracy);
    assert.equal(c.verdict, 'supported');
    assert.ok(Math.abs(c.effect - (0.7233333 - 0.11)) < 1e-6);
  });

  it('contradicted: a clear loss beyond the margin (Oja costing accuracy)', () => {
    assert.equal(compareArms(arm([0.916, 0.9, 0.93]), arm([0.86, 0.84, 0.88]), accuracy).verdict, 'contradicted');
  });

  it('not supported: no effect, measured precisely', () => {
    assert.equal(compareArms(arm([0.90, 0.901, 0.899]), arm([0.902, 0.9, 0.901]), accuracy).verdict, 'not supported');
  });

  it('inconclusive: an effect within the noise, or too few seeds', () => {
    assert.equal(compareArms(arm([0.6, 0.9, 0.7]), arm([0.8, 0.65, 0.95]), accuracy).verdict, 'inconclusive');
    assert.equal(compareArms(arm([0.1]), arm([0.9]), accuracy).verdict, 'inconclusive', 'one seed proves nothing');
  });

  it('"lower is better" metrics flip the sign (weight norms, orthonormality)', () => {
    const norms: VerdictRule = { margin: 1, direction: 'lower', divergedValue: Number.POSITIVE_INFINITY };
    // FA's weights in the millions against FA+Oja's in the tens: scattered, but far beyond twice the error.
    assert.equal(compareArms(arm([8e6, 4e6, 1.6e7]), arm([15, 16, 14]), norms).verdict, 'supported');
    assert.equal(compareArms(arm([8e6, 40, 30]), arm([15, 16, 14]), norms).verdict, 'inconclusive', 'one seed blowing up is not enough');
    assert.equal(compareArms(arm([1.2, 1.3, 1.1]), arm([0.01, 0.008, 0.009]), { margin: 0.1, direction: 'lower', divergedValue: Infinity }).verdict, 'supported');
  });

  it('divergences count as the failure value and are reported', () => {
    // BP+Oja diverges in two of three seeds: counted as chance, its mean falls below BP.
    const c = compareArms(arm([0.82, 0.8, 0.81]), arm([0.85], 2), accuracy);
    assert.equal(c.treatment.diverged, 2);
    assert.equal(c.treatment.n, 3);
    assert.ok(Math.abs(c.treatment.mean - (0.85 + 0.1 + 0.1) / 3) < 1e-9);
    assert.equal(c.verdict, 'inconclusive');
    // All diverged against all at chance: no difference.
    assert.equal(compareArms(arm([0.1, 0.1, 0.1]), arm([], 3), accuracy).verdict, 'not supported');
  });
});
