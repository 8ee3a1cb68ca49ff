"""Preview: serve public/ on loopback."""
