"""The issuer's static site: Profile and keys, status list, and the page that verifies a QR code."""
