#!/usr/bin/env python3
"""
The reference a user would otherwise write: the same online BP + Oja loop in PyTorch eager mode on
one thread (forward, error signals, Oja's term reassociated, in-place updates under no_grad), on the
bundled digits. Prints ms/step as JSON. Run with Debian's python3-torch (benchmark only):

    /usr/bin/python3 bench/pytorch_online.py [--layers 784-170-130-100-70-10] [--steps 2000] [--repeats 3]
"""
import argparse, json, statistics, time

import torch

from bundled_digits import training_digits

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", default="784-170-130-100-70-10")
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--eta", type=float, default=0.01)
    parser.add_argument("--theta", type=float, default=0.001)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    sizes = [int(s) for s in args.layers.split("-")]
    images, labels = training_digits()
    beta, eta, theta = 10.0, args.eta, args.theta

    def run(steps):
        weights = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            limit = (6 / (n_in + n_out)) ** 0.5
            weights.append((torch.rand(n_out, n_in) * 2 - 1) * limit)
        with torch.no_grad():
            start = time.perf_counter()
            for step in range(steps):
                x = images[step % images.shape[0]]
                t = labels[step % labels.shape[0]]
                acts = [x]
                for l, w in enumerate(weights):
                    z = w @ acts[-1]
                    acts.append(torch.nn.functional.softplus(z, beta=beta) if l < len(weights) - 1 else torch.softmax(z, 0))
                e = acts[-1].clone()
                e[t] -= 1
                for l in range(len(weights) - 1, -1, -1):
                    w, a, y = weights[l], acts[l], acts[l + 1]
                    u = w.t() @ y  # Oja reassociated: y (a - W^T y)^T
                    back = (w.t() @ e) * (-torch.expm1(-beta * a)) if l > 0 else None
                    w.add_(torch.outer(theta * y - eta * e, a)).sub_(torch.outer(theta * y, u))
                    if back is not None:
                        e = back
            return (time.perf_counter() - start) * 1000 / steps

    run(50)  # warm-up
    times = [run(args.steps) for _ in range(args.repeats)]
    # What one core sustains on a large product here (the same 1024³ as plasticity-lab bench).
    a, b = torch.rand(1024, 1024), torch.rand(1024, 1024)
    a @ b
    products = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        a @ b
        products.append(time.perf_counter() - start)
    gflops = 2 * 1024**3 / statistics.median(products) / 1e9
    print(json.dumps({"network": sizes, "torch": torch.__version__, "threads": torch.get_num_threads(), "msPerStep": statistics.median(times), "repeats": times, "matMulGflops": gflops}))


if __name__ == "__main__":
    main()
