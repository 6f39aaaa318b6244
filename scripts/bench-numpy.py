#!/usr/bin/env python3
"""numpy reference for `npm run bench`: what a strong numpy user would write for the same
selection (Cholesky + triangular solves + Sherman-Morrison greedy over explicit pair vectors).

    python3 scripts/bench-numpy.py <greedy-within|dopt-within|projection> <data-dir> <reps>

Every distribution of the suite (lib/bench/distributions.ts) comes through the same files, with
its own ridge in meta.json.

The data directory holds features.f32 (n*d), pairs.i32 (2m), lambdas.f64 (m) and meta.json,
written by lib/bench/run.ts from the same seeded data the native and JS rows use. Prints one JSON
line: {"times": [ms...], "cpu": [ms...], "peakBytes": ..., "gflops": ..., "extra": {...}}.
"""
import json
import os
import resource
import sys
import time

import numpy as np

try:
    from scipy.linalg import solve_triangular
except ImportError:  # numpy alone: a general solve does the same job, a little slower
    def solve_triangular(L, B, lower=True):
        return np.linalg.solve(L, B)


def load(directory):
    with open(os.path.join(directory, "meta.json")) as f:
        meta = json.load(f)
    n, d = meta["n"], meta["d"]
    features = np.fromfile(os.path.join(directory, "features.f32"), dtype="<f4").reshape(n, d)
    pairs = np.fromfile(os.path.join(directory, "pairs.i32"), dtype="<i4").reshape(-1, 2)
    lambdas = np.fromfile(os.path.join(directory, "lambdas.f64"), dtype="<f8")
    return meta, features, pairs, lambdas


def pair_vectors(features, pairs):
    phi = features.astype(np.float64)
    return phi[pairs[:, 0]] - phi[pairs[:, 1]]


def greedy_dopt(meta, features, pairs, lambdas):
    """Greedy D-optimal from M0 = ridge*I: score lambda*v'M^-1 v, Sherman-Morrison after each pick."""
    k, ridge = meta["k"], meta["ridge"]
    V = pair_vectors(features, pairs)
    d = V.shape[1]
    L = np.linalg.cholesky(ridge * np.eye(d))
    W = solve_triangular(L, V.T, lower=True)
    q = np.einsum("ij,ij->j", W, W)
    Minv = np.eye(d) / ridge
    taken = np.zeros(len(q), dtype=bool)
    picks = np.empty(k, dtype=np.int64)
    for t in range(k):
        score = lambdas * q
        score[taken] = -np.inf
        p = int(np.argmax(score))
        picks[t] = p
        taken[p] = True
        u = Minv @ V[p]
        beta = lambdas[p] / (1.0 + lambdas[p] * q[p])
        c = V @ u
        q -= beta * c * c
        Minv -= beta * np.outer(u, u)
    return picks


def dopt(meta, features, pairs, lambdas):
    """The paper's rule: M = ridge*I + sum lambda v v', score lambda*v'M^-1 v, top k."""
    k, ridge = meta["k"], meta["ridge"]
    V = pair_vectors(features, pairs)
    d = V.shape[1]
    M = ridge * np.eye(d) + (V * lambdas[:, None]).T @ V
    L = np.linalg.cholesky(M)
    Y = solve_triangular(L, V.T, lower=True)
    score = lambdas * np.einsum("ij,ij->j", Y, Y)
    top = np.argpartition(-score, k - 1)[:k]
    return top[np.argsort(-score[top], kind="stable")]


CPU = []


def timed(fn, reps):
    times = []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), os.times()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
        c1 = os.times()
        CPU.append((c1.user + c1.system - c0.user - c0.system) * 1e3)
    return times


def main():
    workload, directory, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    meta, features, pairs, lambdas = load(directory)
    result = {}
    if workload == "greedy-within":
        result["times"] = timed(lambda: greedy_dopt(meta, features, pairs, lambdas), reps)
        result["cpu"] = CPU
    elif workload == "dopt-within":
        result["times"] = timed(lambda: dopt(meta, features, pairs, lambdas), reps)
        result["cpu"] = CPU
    elif workload == "projection":
        # The projection stays float64 (the 1e-6 log det guarantee), so its roofline is float64:
        # the same-shape triangular solve Y^T = L^-1 Phi^T (what the kernel computes) is the row's
        # time, and a full float64 matmul of the same shape is reported next to it.
        n, d = features.shape
        A64 = np.ascontiguousarray(features, dtype=np.float64)
        rng = np.random.default_rng(0)
        L = np.tril(rng.standard_normal((d, d))) * 0.01 + np.diag(1.0 + np.arange(d) / d)
        B64 = np.ascontiguousarray(L.T)
        solve_triangular(L, A64.T, lower=True)
        trsm = timed(lambda: solve_triangular(L, A64.T, lower=True), max(reps, 5))
        result["cpu"] = list(CPU)
        dgemm = timed(lambda: A64 @ B64, max(reps, 5))
        med = lambda xs: float(np.median(xs))
        result["times"] = trsm
        # Useful flops of the triangular solve, counted as the native row counts them: n*d*(d+1).
        # The runner divides them by the median over all repetitions.
        result["flops"] = 1.0 * n * d * (d + 1)
        result["gflops"] = result["flops"] / (med(trsm) * 1e6)
        result["extra"] = {
            "dgemm ms": med(dgemm),
            "dgemm GFLOP/s": 2.0 * n * d * d / (med(dgemm) * 1e6),
        }
    else:
        raise SystemExit(f"unknown workload {workload}")
    result["peakBytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
