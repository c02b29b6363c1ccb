"""The terminal UI of certify (Textual): what bare ``certify`` opens."""
