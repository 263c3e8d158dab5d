"""Measurement: NPS, answers, surveys, forecasting and staffing."""
