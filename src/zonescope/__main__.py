"""`python -m zonescope` runs the CLI."""

from zonescope.cli import main

main()
