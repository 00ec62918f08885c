"""One module per subcommand (as pre-commit does); each exposes a click command."""
