"""sitegen: republish Chinese-language news feeds as a static bilingual site."""

__version__ = "0.1.0"
