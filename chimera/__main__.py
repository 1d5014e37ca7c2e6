"""`python -m chimera` is the `chimera` command."""

from chimera.cli import main

main()
