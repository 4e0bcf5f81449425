"""Compatibility rules, catalogs (guest OS, Hyper-V limits per host version) and templates."""
