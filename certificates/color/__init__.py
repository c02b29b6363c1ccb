"""The sRGB ICC profile of the certificates' PDF/A output intent, shipped with its licence."""
