/** Per-sample training losses since the trainer last asked (it asks at evaluation points). */
export class LossTally {
  private sum = 0;
  private count = 0;

  add(loss: number): void {
    this.sum += loss;
    this.count++;
  }

  take(): { sum: number; count: number } {
    const result = { sum: this.sum, count: this.count };
    this.sum = 0;
    this.count = 0;
    return result;
  }
}
