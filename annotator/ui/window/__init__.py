"""The main window and what every feature shares: actions, settings, theme, language."""
