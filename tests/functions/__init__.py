"""Tests of polychain.functions, one module per function family."""
