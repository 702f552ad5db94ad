"""Tests of mchch_lib/deliverables/ (see docs/layout.md)."""
