"""Signed updates and the pilot ring.

* :mod:`desktop.updates.versions` – version parsing and ordering (``2.1rc1 < 2.1``).
* :mod:`desktop.updates.policy` – the update ring and repository set by customs IT
  (Windows policy registry, a system policy file elsewhere); read-only for the user.
* :mod:`desktop.updates.client` – the Qt-free update client on The Update Framework
  (python-tuf's ngclient): refresh signed metadata, find the newest release of the ring,
  download and verify the installer.
* :mod:`desktop.updates.integration` – the host seam: checks at start and daily in a
  worker thread, asks the user, runs the verified installer.
"""
