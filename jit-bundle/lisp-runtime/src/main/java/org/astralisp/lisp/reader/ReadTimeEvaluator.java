package org.astralisp.lisp.reader;

/**
 * Evaluates the form of {@code #.} (CLHS 2.4.8.6). The compiler provides it; until one is installed in the
 * {@link ReaderSettings}, {@code #.} is the reader error {@link ReaderError.Kind#NO_EVALUATOR}.
 */
@FunctionalInterface
public interface ReadTimeEvaluator {

    /** The value of {@code form}. */
    Object evaluate(Object form);
}
