"""`python -m benchmarks`: every benchmark, one after the other."""

from benchmarks import matcher_bench

matcher_bench.run()
