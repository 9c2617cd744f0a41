"""``python -m cse_screen``."""

from cse_screen.cli import main

raise SystemExit(main())
