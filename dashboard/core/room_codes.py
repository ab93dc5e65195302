"""A class room's code: its alphabet and length, apart from the store (no SQL imported here).

Every page checks the room code in its link; only a page with a room needs the store.
"""

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud without doubt
CODE_LENGTH = 8
