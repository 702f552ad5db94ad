"""Tests of mchch_lib/documents/ (see docs/layout.md)."""
