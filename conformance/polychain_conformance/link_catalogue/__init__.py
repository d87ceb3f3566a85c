"""Link cases by category; each module defines ``LINK_CASES`` (see ``link_cases.py``)."""
