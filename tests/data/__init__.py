"""Tests of mchch_lib/data/ (see docs/layout.md)."""
