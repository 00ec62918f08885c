"""Find-and-change: edit registry files in place (ruamel.yaml round trip), validated before writing."""
