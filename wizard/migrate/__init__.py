"""The migration pipeline: stages, concurrency, journal and resume, guest fix-ups."""
