package org.astralisp.it.testbundles.absent;

/**
 * A package that no bundle in the image exports: it exists only so that a test
 * bundle can refer to it and fail to resolve. It is never packaged.
 */
public interface AbsentService {

    String describe();
}
