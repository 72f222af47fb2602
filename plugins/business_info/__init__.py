"""Enterprise information collection (for customs risk management)."""
