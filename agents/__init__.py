"""Chimera's agents (installed as chimera.agents)."""
