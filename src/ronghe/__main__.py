"""``python -m ronghe`` runs the command line."""

from ronghe.cli import main

main()
