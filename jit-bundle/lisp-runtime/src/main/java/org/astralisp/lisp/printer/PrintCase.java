package org.astralisp.lisp.printer;

/** The values of {@code *print-case*} (CLHS 22.1.3.3.2): how upper-case characters of symbol names print. */
public enum PrintCase { UPCASE, DOWNCASE, CAPITALIZE }
