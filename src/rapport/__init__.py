"""Rapport: social listening and relationship care."""
