"""Small helpers shared by the core and by user code."""
