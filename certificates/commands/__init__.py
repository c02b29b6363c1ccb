"""The command-line commands of certificates: keys, status list, verify, PDFs and reports."""
