/**
 * Arithmetic and weight traffic of one step of the WebAssembly online executor (wasmNetwork.ts),
 * counting a multiply and an add as two operations. Per weight of layer l:
 *   forward dot 2, deferred update 2 (α·a only) or 4 (α·a + β·u), Oja's u = Wᵀy 2 when θ_l ≠ 0,
 *   error signal Bᵀe 2 above the first layer;
 * bytes: the forward pass reads and writes W (8), the error signal reads B again (4); u reuses rows
 * already in L1. Vector work (activations, softmax, α, β) is O(widths) and left out.
 */
export interface StepCost {
  flops: number;
  weightBytes: number;
}

export function onlineStepCost(layers: readonly number[], theta: readonly number[], errorTerm = true): StepCost {
  let flops = 0;
  let weightBytes = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const weights = layers[l]! * layers[l + 1]!;
    const oja = theta[l] !== 0;
    const updates = oja || errorTerm;
    flops += weights * (2 + (updates ? (oja ? 4 : 2) : 0) + (oja ? 2 : 0) + (l > 0 && errorTerm ? 2 : 0));
    weightBytes += weights * ((updates ? 8 : 4) + (l > 0 && errorTerm ? 4 : 0));
  }
  return { flops, weightBytes };
}
