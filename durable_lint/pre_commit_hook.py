#!/usr/bin/env python3
"""The pre-commit entry point (``language: script`` in .pre-commit-hooks.yaml).

pre-commit runs this file from its checkout of this repository, in the user's repository. The
linter is stdlib only, so putting the checkout on ``sys.path`` is the whole installation; the
script's own folder is taken off the path so no module here can shadow another.
"""

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path[0] = str(Path(__file__).resolve().parents[1])
    from durable_lint.__main__ import main

    sys.exit(main())
