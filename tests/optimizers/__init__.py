"""Tests of polychain.optimizers: three update steps against the formulas written out."""
