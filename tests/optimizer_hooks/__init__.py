"""Tests of polychain.optimizer_hooks: three update steps against the formulas written out."""
