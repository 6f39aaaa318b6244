"""Writes synthetic worlds the project was not tuned on, as simulate --dataset DIRs
(embeddings.npy [prompts, responses, d], rewards.npy [prompts, responses]).

  python3 scripts/unseen-worlds.py OUT_DIR

clustered:   responses of a prompt sit in one of 8 tight clusters, d = 32, linear golden reward
anisotropic: feature scales spread over 3 decades (log-uniform), d = 48, golden reward in the small axes too
unitnorm:    unit-norm embeddings (like sentence encoders), d = 64, nonlinear (tanh) golden reward
heldout:     made after the prior-shape margin was set, to test it on data it was not tuned on: a shared
             mean, a power-law spectrum (std ∝ c^-0.75, d = 40), reward weights between the two prior
             shapes (∝ scale^-0.5) and a mild tanh
Label noise is varied on the command line (--beta), not here.
"""
import os
import sys

import numpy as np

P, R = 1200, 8


def save(out, name, emb, rew):
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, 'embeddings.npy'), emb.astype(np.float32))
    np.save(os.path.join(d, 'rewards.npy'), rew.astype(np.float32))


def main(out):
    rng = np.random.default_rng(13)
    d = 32
    centres = rng.normal(size=(8, d)) * 3
    which = rng.integers(0, 8, size=P)
    emb = centres[which][:, None, :] + 0.5 * rng.normal(size=(P, R, d))
    w = rng.normal(size=d)
    rew = emb @ w
    save(out, 'clustered', emb, 2.0 * rew / rew.std())

    d = 48
    scales = 10 ** rng.uniform(-1.5, 1.5, size=d)
    emb = rng.normal(size=(P, R, d)) * scales
    w = rng.normal(size=d) / scales
    rew = emb @ w
    save(out, 'anisotropic', emb, 2.0 * rew / rew.std())

    d = 64
    emb = rng.normal(size=(P, R, d))
    emb /= np.linalg.norm(emb, axis=-1, keepdims=True)
    W = rng.normal(size=(d, 16)) * 3
    a = rng.normal(size=16)
    rew = np.tanh(emb @ W) @ a
    save(out, 'unitnorm', emb, 2.0 * rew / rew.std())

    # Its own generator, so the worlds above stay as they were.
    rng = np.random.default_rng(2026)
    d = 40
    scales = np.arange(1, d + 1) ** -0.75
    emb = 4 / np.sqrt(d) + rng.normal(size=(P, R, d)) * scales
    w = rng.normal(size=d) / np.sqrt(scales)
    lin = (emb - emb.mean(axis=(0, 1))) @ w
    rew = np.tanh(lin / lin.std()) + 0.3 * lin / lin.std()
    save(out, 'heldout', emb, 2.0 * rew / rew.std())


if __name__ == '__main__':
    main(sys.argv[1])
