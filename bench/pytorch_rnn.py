#!/usr/bin/env python3
"""
One online update of a vanilla RNN as a user would write it in PyTorch eager mode on one thread:
delayed recall of one of V = 8 symbols after D empty steps (T = D + 2 steps of V + 1 inputs), a tanh
network of N = 128 hidden units, the loss at the cue step, backpropagation through time by autograd,
and Oja's term on W_rec (θ · mean_t (h_t h_{t−1}ᵀ − h_t h_tᵀ W_rec)) added under no_grad. Prints
ms per sequence update as JSON. Run with Debian's python3-torch (benchmark only):

    /usr/bin/python3 bench/pytorch_rnn.py [--hidden 128] [--steps 30] [--sequences 500] [--repeats 3]
"""
import argparse, json, statistics, time

import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--steps", type=int, default=30, help="T, the sequence length (delay T - 2)")
    parser.add_argument("--symbols", type=int, default=8)
    parser.add_argument("--sequences", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--eta", type=float, default=0.003)
    parser.add_argument("--theta", type=float, default=0.001)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    V, N, T = args.symbols, args.hidden, args.steps

    def sequence():
        x = torch.zeros(T, V + 1)
        symbol = int(torch.randint(V, ()))
        x[0, symbol] = 1
        x[T - 1, V] = 1
        return x, torch.tensor(symbol)

    def run(count):
        limit = lambda n_in, n_out: (6 / (n_in + n_out)) ** 0.5
        w_in = ((torch.rand(N, V + 1) * 2 - 1) * limit(V + 1, N)).requires_grad_()
        w_rec = ((torch.rand(N, N) * 2 - 1) * limit(N, N)).requires_grad_()
        w_out = ((torch.rand(V, N) * 2 - 1) * limit(N, V)).requires_grad_()
        data = [sequence() for _ in range(count)]
        start = time.perf_counter()
        for x, target in data:
            h = torch.zeros(N)
            states = [h]
            for t in range(T):
                h = torch.tanh(w_in @ x[t] + w_rec @ h)
                states.append(h)
            loss = torch.nn.functional.cross_entropy((w_out @ h).unsqueeze(0), target.unsqueeze(0), reduction="sum")
            for w in (w_in, w_rec, w_out):
                w.grad = None
            loss.backward()
            with torch.no_grad():
                hs = torch.stack([s.detach() for s in states])
                post, pre = hs[1:], hs[:-1]
                oja = (post.t() @ pre - post.t() @ (post @ w_rec)) / T
                w_in -= args.eta * w_in.grad
                w_out -= args.eta * w_out.grad
                w_rec -= args.eta * w_rec.grad
                w_rec += args.theta * oja
        return (time.perf_counter() - start) * 1000 / count

    run(20)
    times = [run(args.sequences) for _ in range(args.repeats)]
    print(json.dumps({"torch": torch.__version__, "hidden": N, "steps": T, "msPerSequence": statistics.median(times), "repeats": times}))


if __name__ == "__main__":
    main()
