#!/usr/bin/env python3
"""
One meta-episode as a user would write it in PyTorch eager mode on one thread: a fresh
784-170-130-100-70-10 softplus network, a 5-way episode of K = 50 training samples per class (250
online steps) and 10 queries per class, feedback alignment, the rule
ΔW_l = −η e_l y_{l−1}ᵀ − c_eH e_l e_{l−1}ᵀ + θ (y_l y_{l−1}ᵀ − y_l (y_lᵀ W_l)), and the exact gradient
of the query loss with respect to (η, c_eH, θ) by autograd through the unrolled inner loop. Prints
seconds per meta-episode as JSON. Run with Debian's python3-torch (benchmark only):

    /usr/bin/python3 bench/pytorch_meta.py [--repeats 3] [--shots 50]
"""
import argparse, json, statistics, time

import torch

from bundled_digits import training_digits

SIZES = [784, 170, 130, 100, 70, 10]
BETA = 10.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--shots", type=int, default=50)
    parser.add_argument("--ways", type=int, default=5)
    parser.add_argument("--queries", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    images, labels = training_digits()
    by_class = [torch.nonzero(labels == c).flatten() for c in range(10)]
    feedback = [torch.randn(n_out, n_in) * (2 / (n_in + n_out)) ** 0.5 for n_in, n_out in zip(SIZES[:-1], SIZES[1:])]

    def meta_episode():
        eta = torch.tensor(0.01, requires_grad=True)
        c_eh = torch.tensor(0.001, requires_grad=True)
        theta = torch.tensor(0.001, requires_grad=True)
        classes = torch.randperm(10)[: args.ways]
        picks = [by_class[c][torch.randperm(len(by_class[c]))[: args.shots + args.queries]] for c in classes]
        support = torch.cat([p[: args.shots] for p in picks])
        query = torch.cat([p[args.shots :] for p in picks])
        support = support[torch.randperm(len(support))]
        weights = []
        for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
            limit = (6 / (n_in + n_out)) ** 0.5
            weights.append((torch.rand(n_out, n_in) * 2 - 1) * limit)
        start = time.perf_counter()
        for index in support:
            x, t = images[index], labels[index]
            acts, pre = [x], []
            for l, w in enumerate(weights):
                z = w @ acts[-1]
                pre.append(z)
                acts.append(torch.nn.functional.softplus(z, beta=BETA) if l < len(weights) - 1 else torch.softmax(z, 0))
            errors = [None] * len(weights)
            errors[-1] = acts[-1] - torch.nn.functional.one_hot(t, SIZES[-1]).float()
            for l in range(len(weights) - 1, 0, -1):
                errors[l - 1] = (feedback[l].t() @ errors[l]) * torch.sigmoid(BETA * pre[l - 1])
            new = []
            for l, w in enumerate(weights):
                a, y, e = acts[l], acts[l + 1], errors[l]
                step = -eta * torch.outer(e, a) + theta * (torch.outer(y, a) - torch.outer(y, w.t() @ y))
                if l > 0:
                    step = step - c_eh * torch.outer(e, errors[l - 1])
                new.append(w + step)
            weights = new
        x = images[query]
        for l, w in enumerate(weights):
            x = x @ w.t()
            if l < len(weights) - 1:
                x = torch.nn.functional.softplus(x, beta=BETA)
        loss = torch.nn.functional.cross_entropy(x, labels[query])
        loss.backward()
        return time.perf_counter() - start, loss.item(), [eta.grad.item(), c_eh.grad.item(), theta.grad.item()]

    times = []
    for _ in range(args.repeats):
        seconds, loss, gradient = meta_episode()
        times.append(seconds)
    print(json.dumps({"torch": torch.__version__, "secondsPerMetaEpisode": statistics.median(times), "repeats": times, "shots": args.shots, "queryLoss": loss, "gradient": gradient}))


if __name__ == "__main__":
    main()
