"""certify: competency certification and training tracker for the Cités des métiers."""

__version__ = "0.1.0"
