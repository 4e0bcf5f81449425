"""HTML and CSV reports."""
