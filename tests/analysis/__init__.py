"""Tests of mchch_lib/analysis/ (see docs/layout.md)."""
