"""The enterprises app's web views; enterprises/urls.py imports each page from its module."""
