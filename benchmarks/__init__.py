"""Benchmarks run by `make bench`: figures printed against their targets, no pass/fail."""
