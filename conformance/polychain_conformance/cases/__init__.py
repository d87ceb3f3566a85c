"""Conformance cases by category; each module defines ``CASES``."""
