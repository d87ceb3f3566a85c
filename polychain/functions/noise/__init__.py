"""Noise functions: dropout and friends, drawing from the device's seeded generator."""
