"""Rate-limit buckets: the pure step, and the shared store several API processes count against."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.ratelimit import Bucket, MemoryBuckets, RateLimiter, SharedBuckets, take

REPO = Path(__file__).resolve().parents[2]


def test_take_spends_refills_and_says_how_long_to_wait() -> None:
    bucket, wait = take(None, now=100.0, per_minute=60.0, capacity=2.0)
    assert (bucket, wait) == (Bucket(1.0, 100.0), 0.0)
    bucket, wait = take(bucket, now=100.0, per_minute=60.0, capacity=2.0)
    assert wait == 0.0 and bucket.tokens == 0.0
    bucket, wait = take(bucket, now=100.25, per_minute=60.0, capacity=2.0)
    assert wait == pytest.approx(0.75)  # a quarter of a token back after 0.25 s at one a second
    refilled, wait = take(bucket, now=1000.0, per_minute=60.0, capacity=2.0)
    assert wait == 0.0 and refilled.tokens == 1.0  # never more than the capacity
    backwards, wait = take(Bucket(0.5, 10.0), now=9.0, per_minute=60.0, capacity=2.0)
    assert wait > 0 and backwards == Bucket(0.5, 10.0)  # an older clock reading refills nothing


def test_a_cost_of_several_units_is_taken_whole_or_not_at_all() -> None:
    bucket, wait = take(None, now=0.0, per_minute=60.0, capacity=10.0, cost=4.0)
    assert (bucket, wait) == (Bucket(6.0, 0.0), 0.0)
    refused, wait = take(bucket, now=0.0, per_minute=60.0, capacity=10.0, cost=7.0)
    assert refused == bucket and wait == pytest.approx(1.0)  # one unit short, one a second
    assert take(refused, now=0.0, per_minute=60.0, capacity=10.0, cost=6.0) == (Bucket(0.0, 0.0), 0.0)
    never, wait = take(None, now=0.0, per_minute=60.0, capacity=10.0, cost=11.0)
    assert never == Bucket(10.0, 0.0) and wait > 0  # more than the capacity: nothing taken


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.floats(min_value=-0.5, max_value=3.0, allow_nan=False),
            st.sampled_from([1.0, 1.0, 2.0, 3.0, 6.0]),
        ),
        max_size=40,
    ),
    per_minute=st.sampled_from([1.0, 30.0, 60.0, 600.0]),
    capacity=st.sampled_from([1.0, 2.0, 5.0]),
)
def test_the_shared_store_decides_as_the_pure_step_does(
    tmp_path_factory: pytest.TempPathFactory,
    steps: list[tuple[str, float, float]],
    per_minute: float,
    capacity: float,
) -> None:
    """The file store runs `take` as one SQL statement: same decisions and waits, for any cost (one more
    than the capacity too), clocks going back too."""
    shared = SharedBuckets(tmp_path_factory.mktemp("buckets") / "ratelimits.sqlite")
    memory = MemoryBuckets()
    try:
        now = 1000.0
        for key, elapsed, cost in steps:
            now += elapsed
            expected = memory.take(key, now, per_minute, capacity, cost)
            assert shared.take(key, now, per_minute, capacity, cost) == pytest.approx(expected, abs=1e-9)
    finally:
        shared.close()


def test_shared_buckets_are_one_bucket_for_every_limiter_on_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ratelimits.sqlite"
    now = [0.0]
    first, second = SharedBuckets(path), SharedBuckets(path)
    try:
        limits = {"per_minute": {"search": 60.0}, "burst": {"search": 3.0}, "clock": lambda: now[0]}
        a, b = RateLimiter(store=first, **limits), RateLimiter(store=second, **limits)  # type: ignore[arg-type]
        waits = [a.check("tok", "search"), b.check("tok", "search"), a.check("tok", "search")]
        assert waits == [0.0, 0.0, 0.0]
        assert b.check("tok", "search") > 0 and a.check("tok", "search") > 0
        assert b.check("other", "search") == 0.0  # per token
        now[0] += 1.0
        assert b.check("tok", "search") == 0.0
    finally:
        first.close()
        second.close()


def test_processes_hammering_one_file_together_get_exactly_the_burst(tmp_path: Path) -> None:
    """Four real processes, 50 requests each at once, a bucket of 20 that refills 1 a minute: 20 pass."""
    path = tmp_path / "ratelimits.sqlite"
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from api.ratelimit import RateLimiter, SharedBuckets
        store = SharedBuckets(Path({str(path)!r}))
        limiter = RateLimiter(per_minute={{"search": 1.0}}, burst={{"search": 20.0}}, store=store)
        print(sum(limiter.check("tok", "search") == 0.0 for _ in range(50)))
        store.close()
        """
    )
    SharedBuckets(path).close()  # the table exists before they race
    workers = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) for _ in range(4)]
    allowed = [int(w.communicate(timeout=60)[0]) for w in workers]
    assert all(w.returncode == 0 for w in workers)
    assert sum(allowed) == 20
