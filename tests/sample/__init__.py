"""Tests of mchch_lib/sample/ (see docs/layout.md)."""
