package org.astralisp.machine.device.virtio;

import java.util.List;

/**
 * One request a driver made available: the chain that starts at descriptor
 * {@code head} of the descriptor table, flattened through an indirect table
 * if it has one (virtio 1.2 §2.7.5, §2.7.5.3), as device-readable buffers
 * followed by device-writable ones (§2.7.4: readable ones come first).
 * Every buffer lies wholly in RAM; the lengths add up to less than 2^32
 * (§2.7.5.2).
 *
 * @param head the index of the chain's first descriptor, the used element's {@code id} (§2.7.8)
 */
public record DescriptorChain(int head, List<Buffer> readable, List<Buffer> writable) {

    /** One guest-physical buffer {@code [address, address + length)}; {@code length} is a descriptor's u32 {@code len}. */
    public record Buffer(long address, long length) {
    }

    public DescriptorChain {
        readable = List.copyOf(readable);
        writable = List.copyOf(writable);
    }

    /** The total length of the device-writable buffers. */
    public long writableBytes() {
        long total = 0;
        for (Buffer buffer : writable) {
            total += buffer.length();
        }
        return total;
    }
}
