package org.astralisp.hal.api.devicetree;

/**
 * A flattened device tree blob that breaks the format of devicetree
 * specification v0.4 §5. The message is {@code offset 0xNN: what is wrong},
 * the offset counted in bytes from the start of the blob.
 */
public final class DeviceTreeFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int offset;

    DeviceTreeFormatException(int offset, String problem) {
        super(String.format("offset 0x%x: %s", offset, problem));
        this.offset = offset;
    }

    /** The byte offset in the blob where the problem was found. */
    public int offset() {
        return offset;
    }
}
