/**
 * The Lisp data the reader produces and the printer prints: symbols interned in packages, conses (the empty
 * list is the symbol {@code NIL}), integers ({@link java.lang.Long} as fixnums, {@link java.math.BigInteger}
 * beyond, always normalised), {@link org.astralisp.lisp.data.Ratio}, single and double floats
 * ({@link java.lang.Float}, {@link java.lang.Double}), {@link org.astralisp.lisp.data.LispCharacter}, strings
 * ({@link java.lang.String}) and {@link org.astralisp.lisp.data.SimpleVector}. See docs/lisp.md.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.astralisp.lisp.data;
