"""Who may do and see what: actors, actions, scopes and their narrowing."""
