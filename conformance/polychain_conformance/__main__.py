"""``python -m polychain_conformance``: see :mod:`polychain_conformance.cli`."""

import sys

from polychain_conformance.cli import main

sys.exit(main())
