"""`python -m benchmarks`: every benchmark, one after the other."""

from benchmarks import diagnose_bench, load_bench, matcher_bench

matcher_bench.run()
diagnose_bench.run()
load_bench.run()
