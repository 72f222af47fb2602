"""Build tooling for the Windows installer and the signed update repository.

* :mod:`installer.lockfile` – the hash-locked Windows dependency set (``requirements-windows.lock``).
* :mod:`installer.embed` – the Windows embeddable CPython from PyPI, verified.
* :mod:`installer.layout` – assembles the installed tree and trims Qt.
* :mod:`installer.nsis` – renders ``template.nsi`` and runs ``makensis``.
* :mod:`installer.signing` – Authenticode signing with ``osslsigncode``.
* :mod:`installer.release` – ``python -m installer.release``: the TUF update repository
  (init, publish to a ring, promote, list, refresh).
"""
