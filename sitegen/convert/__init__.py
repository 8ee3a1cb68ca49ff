"""Simplified <-> Traditional conversion: OpenCC per variant, text only."""
