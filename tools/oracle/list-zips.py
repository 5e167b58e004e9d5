#!/usr/bin/env python3
"""Prints the entries of zip files in a compact, reviewable form.

Usage: list-zips.py ZIP...  (written to stdout, zips in the given order)

For each zip: a line "zip <base name>", then one line per entry in the
archive's order: "<mode, octal> <SHA-256 of the content, hex> <name>".
fixtures/package_*/zips.txt are written with it from the framework's zips,
and the Go tests list stepform's zips the same way to compare them.
"""
import hashlib
import os
import sys
import zipfile


def main(paths):
    for path in paths:
        print("zip " + os.path.basename(path))
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                digest = hashlib.sha256(z.read(info)).hexdigest()
                print("%o %s %s" % (info.external_attr >> 16, digest, info.filename))


if __name__ == "__main__":
    main(sys.argv[1:])
