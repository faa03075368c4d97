"""Independent, reproducible random streams.

Each purpose (structure, demographics, names, text, ...) of each family gets its own
``random.Random`` seeded from (seed, family index, purpose), so changing one stream's
inputs (a counterfactual name-origin, say) never shifts the draws of another stream.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def stream(seed: int, index: int, purpose: str) -> random.Random:
    """A ``random.Random`` that depends only on (seed, index, purpose)."""
    digest = hashlib.sha256(f"caselens-estate|{seed}|{index}|{purpose}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def weighted(rng: random.Random, options: Sequence[tuple[T, float]]) -> T:
    """Pick one value from (value, weight) pairs with exactly one draw."""
    total = sum(w for _, w in options)
    point = rng.random() * total
    running = 0.0
    for value, w in options:
        running += w
        if point < running:
            return value
    return options[-1][0]


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """Pick one value with exactly one draw (``rng.choice`` may draw more than once)."""
    return options[int(rng.random() * len(options)) % len(options)]


def chance(rng: random.Random, p: float) -> bool:
    """One draw; true with probability ``p``."""
    return rng.random() < p
