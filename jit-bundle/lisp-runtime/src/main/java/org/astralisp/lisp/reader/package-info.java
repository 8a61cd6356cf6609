/**
 * The Lisp reader (CLHS chapter 2) with the standard syntax: {@link org.astralisp.lisp.reader.LispReader}
 * reads objects from a {@link org.astralisp.lisp.reader.SourceText}; every error is a
 * {@link org.astralisp.lisp.reader.ReaderError} with its line and column.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.lisp.reader;
