"""Tests of mchch_lib/common/ (see docs/layout.md)."""
