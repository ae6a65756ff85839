"""The results service: the one door to every shown number (see :mod:`spiegel.results.profiles`)."""
