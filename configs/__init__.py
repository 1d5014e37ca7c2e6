"""Bundled agent configs (installed as chimera.config_files so they ship in the wheel)."""
