"""Built-in persona YAML files (installed as chimera.persona_files so they ship in the wheel)."""
