"""The customs web console (``/console``): server-rendered pages for customs staff."""
