"""Data files of the program: translations (i18n/) and icons (icons/)."""
