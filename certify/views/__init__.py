"""Read views: what each screen and export shows, read set-based in SQL."""
