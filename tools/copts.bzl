"""The C compiler flags of every package of this repository.

lib/, diff/, fuzz/, tests/, examples/ and tools/ all compile with these, so
a warning is the same warning everywhere, and an error everywhere.  Include
paths are given with `includes` on the libraries, never with -I here.
"""

H11C_COPTS = [
    "-std=c11",
    "-Wall",
    "-Wextra",
    "-Wshadow",
    "-Wconversion",
    "-Wmissing-prototypes",
    "-Wundef",
    "-Wwrite-strings",
    "-Werror",
]

# Generated or third-party code (llhttp's C sources): their warnings are
# not this project's to fix.
THIRD_PARTY_COPTS = ["-w"]
