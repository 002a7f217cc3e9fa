"""`python -m benchmarks`: every benchmark, one after the other."""

from benchmarks import load_bench, matcher_bench

matcher_bench.run()
load_bench.run()
