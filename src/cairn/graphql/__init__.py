"""The GraphQL layer: types, inputs, resolvers. No SQL here."""
