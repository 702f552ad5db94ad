"""Tests of mchch_lib/render/ (see docs/layout.md)."""
