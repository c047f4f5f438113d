"""``python -m evalcheck`` runs the command line (used by the pre-commit hook's tests)."""

from .cli import main

if __name__ == "__main__":
    main()
