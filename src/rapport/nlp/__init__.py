"""Rapport's language understanding: language, and (later) sentiment, intent, urgency."""
