"""assure: check health and housing strategies against the ten home-and-health assurance questions."""

__version__ = "0.1.0"
