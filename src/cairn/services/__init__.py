"""Business rules and transactions; resolvers stay thin."""
