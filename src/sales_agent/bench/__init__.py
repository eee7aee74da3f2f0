"""Benchmarks anyone can run (`sales-agent bench ...`), each owning a docs/BENCHMARKS.md section."""
