"""What a user configures: agent configs (`agent`), personas (`personas`), and the strict YAML
loader both go through (`yaml_loader`)."""
