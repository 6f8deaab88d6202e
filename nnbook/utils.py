"""Lesson 07: where nnbook's randomness comes from, and how to make a run reproducible.

Two random things happen in training: the initial weights (glorot-uniform) and the order of the samples
in each epoch (``shuffle=True``). Both are drawn from one ``numpy.random.Generator`` per model:

- ``Sequential(layers, seed=42)`` seeds the model's own generator: the same seed gives the same weights
  and the same shuffles, so the same history to the last digit.
- Without a seed, the model's generator is seeded from nnbook's global generator, which
  :func:`set_random_seed` resets, as ``keras.utils.set_random_seed`` does for Keras. So code written for
  Keras becomes reproducible with one line::

      from nnbook.utils import set_random_seed
      set_random_seed(42)
      model = Sequential([...])          # same weights and shuffles on every run of the notebook

Unlike Keras's, ``set_random_seed`` does not touch numpy's or Python's global random state.
"""

from __future__ import annotations

import numpy as np

from nnbook import _validate

_global_generator = np.random.default_rng()


def set_random_seed(seed: int) -> None:
    """Reset nnbook's global generator, so models created from now on without a seed are reproducible."""
    global _global_generator
    seed = _validate.whole_number("seed", seed)
    _global_generator = np.random.default_rng(seed)


def new_generator(seed: int | None = None) -> np.random.Generator:
    """A generator for one model or layer: ``default_rng(seed)``, or, without a seed, one seeded from
    nnbook's global generator (see :func:`set_random_seed`)."""
    if seed is None:
        return np.random.default_rng(_global_generator.integers(2**63))
    return np.random.default_rng(_validate.whole_number("seed", seed))
