"""The generator's output is byte-identical to what it produced before the speed work of issue 16.

``tests/fixtures/generator_fingerprints.json`` holds, for seeds 0..499 and five seeds far outside that
range, one SHA-256 per table of the exact CSV bytes ``write_tables`` writes (plus the dtypes), recorded
with the generator as it was before it was made faster (commit 773779b; ``tests/generator_fingerprint.py``).
Any changed byte in any table of any of those seeds fails here.
"""
from __future__ import annotations

import json
import os

import pytest
from generator_fingerprint import FIXTURE, cohort_fingerprint

from helpers.engine import generator

RECORDED = json.loads(FIXTURE.read_text())
FAR_SEEDS = [500, 7_919, 123_456, 2**31 + 11, 2**62 + 3]


def test_fixture_covers_500_seeds_the_far_ones_and_every_table():
    assert sorted(map(int, RECORDED)) == list(range(500)) + FAR_SEEDS
    assert all(sorted(v) == sorted(n.removesuffix(".csv") for n in generator.OUTPUT_FILES) for v in RECORDED.values())


# make test checks seeds 0-99 (data/ is seed 0; the chapters generate seeds 0-19): about 2 s. All 500
# (about 10 s of CPU):  LIPOMIT_ALL_FINGERPRINTS=1 .venv/bin/pytest tests/test_generator_fingerprints.py
ALL_FINGERPRINTS = os.environ.get("LIPOMIT_ALL_FINGERPRINTS") == "1"


@pytest.mark.slow
@pytest.mark.parametrize("block", range(10))
def test_every_table_of_seeds_0_to_499_is_byte_identical(block):
    if block >= 2 and not ALL_FINGERPRINTS:
        pytest.skip("seeds 100-499: set LIPOMIT_ALL_FINGERPRINTS=1 to check them too")
    for seed in range(block * 50, block * 50 + 50):
        assert cohort_fingerprint(seed) == RECORDED[str(seed)], f"seed {seed}: generated tables changed"


@pytest.mark.parametrize("seed", FAR_SEEDS)
def test_seeds_far_outside_the_first_500_are_byte_identical(seed):
    assert cohort_fingerprint(seed) == RECORDED[str(seed)], f"seed {seed}: generated tables changed"


def test_fingerprint_notices_one_changed_byte():
    tables = generator.generate(0)
    tables["adsl"].loc[0, "AGE"] += 1
    assert cohort_fingerprint.__module__ == "generator_fingerprint"
    from generator_fingerprint import table_fingerprint
    assert table_fingerprint(tables["adsl"]) != RECORDED["0"]["adsl"]


def test_written_out_draws_consume_the_stream_as_random_does():
    """The skeleton's written-out draws (generator._survival_skeletons) assume CPython's
    randint/choice/shuffle/choices; this pins the assumption on its own, so a Python whose random
    module draws differently fails here with a clear name (and the fingerprints above fail too)."""
    import random
    from bisect import bisect
    from itertools import accumulate

    def randbelow(getrandbits, n):
        k = n.bit_length()
        x = getrandbits(k)
        while x >= n:
            x = getrandbits(k)
        return x

    ref, mine = random.Random(2024), random.Random(2024)
    for a, b in [(75, 95), (15, 72), (185, 540), (11, 13), (0, 0), (5, 6), (1, 1000)] * 20:
        assert ref.randint(a, b) == a + randbelow(mine.getrandbits, b - a + 1)
    pool = ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert ref.choice(pool) == pool[randbelow(mine.getrandbits, len(pool))]
    weights = [0.5, 0.15, 0.25, 0.1]
    cum = list(accumulate(weights))
    for _ in range(50):
        assert ref.choices(pool[:4], weights)[0] == pool[bisect(cum, mine.random() * (cum[-1] + 0.0), 0, 3)]
    x, y = pool[:], pool[:]
    ref.shuffle(x)
    for i in range(len(y) - 1, 0, -1):
        j = randbelow(mine.getrandbits, i + 1)
        y[i], y[j] = y[j], y[i]
    assert x == y
    assert ref.random() == mine.random()          # both streams are at the same place
