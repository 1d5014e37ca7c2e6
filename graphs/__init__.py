"""Chimera's graphs (installed as chimera.graphs)."""
