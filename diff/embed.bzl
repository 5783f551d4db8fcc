"""embed_c: a file's bytes as a NUL-terminated C array."""

def embed_c(name, src, symbol):
    """Generates NAME.c defining `const char SYMBOL[]` with src's bytes.

    Uses od and sed only, so the build needs no interpreter.
    """
    native.genrule(
        name = name,
        srcs = [src],
        outs = [name + ".c"],
        cmd = ("(echo '/* Generated from $(location %s). */';" % src +
               " echo 'extern const char %s[];';" % symbol +
               " echo 'const char %s[] = {';" % symbol +
               # (char) keeps bytes above 0x7f free of -Wconversion.
               " od -An -v -tx1 $< | sed -e 's/\\([0-9a-f][0-9a-f]\\)/(char)0x\\1,/g';" +
               " echo '0x00};') > $@"),
    )
