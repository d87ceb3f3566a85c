"""Elementwise math, reductions, products and linear algebra."""
