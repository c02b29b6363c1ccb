"""Infrastructure: transactions, schema versions, audit trail, paging, search, caches."""
