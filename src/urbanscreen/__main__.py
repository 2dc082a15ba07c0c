"""``python -m urbanscreen``."""

from urbanscreen.cli import main

main()
