package org.astralisp.hal.api.paging;

/**
 * A {@link FrameSource} has no frame left. A page-table operation that needed one leaves the table as
 * it was before the operation.
 */
public class OutOfFramesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutOfFramesException(String message) {
        super(message);
    }
}
