package org.astralisp.hal.api.devicetree;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * An address on a bus, as the big-endian 32-bit cells of a {@code reg},
 * {@code ranges} or {@code interrupt-map} entry spell it (devicetree
 * specification v0.4 §2.3.5): one cell on a 32-bit bus, two on a 64-bit bus,
 * three on PCI ({@code phys.hi phys.mid phys.lo}). Its numeric value is the
 * cells read as one unsigned number, most significant first; translation
 * (§2.3.8) works on that value.
 */
public final class BusAddress {

    private static final BigInteger CELL_BASE = BigInteger.ONE.shiftLeft(32);

    private final int[] cells;

    private BusAddress(int[] cells) {
        this.cells = cells;
    }

    /** The address with these cells, most significant first. */
    public static BusAddress of(int... cells) {
        return new BusAddress(cells.clone());
    }

    /**
     * A 64-bit address as two cells, as on a bus with {@code #address-cells = <2>}.
     * (Named apart from {@link #of(int...)} so that {@code of(0x1000)} is one cell.)
     */
    public static BusAddress of64(long address) {
        return new BusAddress(new int[] {(int) (address >>> 32), (int) address});
    }

    public int cellCount() {
        return cells.length;
    }

    /** Cell {@code index}, 0 being the most significant. */
    public int cell(int index) {
        return cells[index];
    }

    /** The cells as one unsigned number. */
    public BigInteger value() {
        BigInteger value = BigInteger.ZERO;
        for (int cell : cells) {
            value = value.multiply(CELL_BASE).add(BigInteger.valueOf(Integer.toUnsignedLong(cell)));
        }
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BusAddress address && Arrays.equals(cells, address.cells);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cells);
    }

    /** {@code 0x10000000} for up to two cells; the cells as in DTS, {@code <0x2000000 0x0 0x0>}, beyond. */
    @Override
    public String toString() {
        return cells.length <= 2 ? "0x" + value().toString(16) : cellsText(cells);
    }

    /** Cells as DTS writes them: {@code <0x2000000 0x0 0x0>}. */
    static String cellsText(int[] cells) {
        StringBuilder text = new StringBuilder("<");
        for (int i = 0; i < cells.length; i++) {
            text.append(i == 0 ? "" : " ").append("0x").append(Integer.toHexString(cells[i]));
        }
        return text.append('>').toString();
    }
}
