"""Transactional e-mail for acme (legacy Poetry service)."""
