/**
 * The Lisp printer (CLHS 22.1): {@link org.astralisp.lisp.printer.LispPrinter} writes objects as
 * {@code prin1} and {@code princ} do, governed by {@link org.astralisp.lisp.printer.PrintSettings}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.lisp.printer;
