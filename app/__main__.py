"""`python -m app` behaves exactly like the `bounce-cleaner` command."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
