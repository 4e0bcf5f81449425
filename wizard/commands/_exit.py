"""The command line's exit codes (``hvmigrate --help`` lists them)."""

EXIT_OK, EXIT_PARTIAL, EXIT_ERROR, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 3, 130
