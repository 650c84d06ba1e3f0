/** The online executor on WebAssembly SIMD: one WasmNetwork in its own Arena. */
import type { ExperimentConfig } from '../config/schema';
import type { Split } from '../data/dataset';
import type { NetworkParams } from '../model/params';
import type { TrainingExecutor } from './executor';
import { WasmNetwork } from './wasmNetwork';
import { Arena, kernelModule } from './wasm/kernels';

/** Whether `config` can train on the kernels here (batch size 1, and the kernels exist). */
export function wasmOnlineAvailable(config: ExperimentConfig): boolean {
  return config.training.batchSize === 1 && kernelModule() !== null;
}

export class WasmOnlineExecutor implements TrainingExecutor {
  readonly name = 'online' as const;
  private readonly network: WasmNetwork;
  private readonly inputSize: number;

  constructor(config: ExperimentConfig, params: NetworkParams, feedback: Float32Array[] | null, private readonly train: Split) {
    const module = kernelModule();
    if (!module) throw new Error('the WebAssembly kernels are missing (media/wasm); run `npm run build` first');
    this.network = new WasmNetwork(new Arena(module), config, params, feedback);
    this.inputSize = params[0]!.nIn;
  }

  get divergedAtStep(): number | null {
    return this.network.divergedAtStep;
  }

  step(indices: ArrayLike<number>): void {
    const sample = indices[0]!;
    const size = this.inputSize;
    this.network.step(this.train.inputs.subarray(sample * size, (sample + 1) * size), this.train.labels[sample]!);
  }

  takeLoss() {
    return this.network.takeLoss();
  }

  takeStepNorms() {
    return this.network.takeStepNorms();
  }

  params(): NetworkParams {
    return this.network.params();
  }

  dispose(): void {}
}
