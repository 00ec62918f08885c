"""Renderers turn reports into text, JSON, GitHub commands, Markdown, CSV or iCalendar."""
