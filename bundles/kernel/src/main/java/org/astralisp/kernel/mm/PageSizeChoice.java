package org.astralisp.kernel.mm;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.astralisp.hal.api.devicetree.DeviceTree;
import org.astralisp.hal.api.paging.PageTableFormat;

/**
 * Which frame size the PMM uses: the base page size of the MMU, because the VMM maps PMM frames one
 * page each and the page tables themselves live in frames of that size.
 *
 * <p>The HAL is the authority: the active arch bundle's {@link PageTableFormat} knows the MMU it
 * drives. When no arch bundle is active (yet), the board named by the device tree's root
 * {@code compatible} decides, from the table of AstraLisp's machines (ARCHITECTURE §2): x86-64 and
 * RISC-V 4 KiB, ppc64 radix 64 KiB. When both are known they must agree — an arch bundle for another
 * architecture than the board's is a misconfiguration, refused rather than half-used — and when
 * neither is, there is no page size to guess.
 */
final class PageSizeChoice {

    /** Root {@code compatible} of each AstraLisp machine and its MMU's base page size. */
    static final Map<String, Integer> BOARD_PAGE_SIZES = Map.of(
            "astralisp,x86-64-virt", 4096,
            "astralisp,riscv64-virt", 4096,
            "astralisp,ppc64-virt", 65536);

    private PageSizeChoice() {
    }

    /**
     * The page size for the machine {@code tree} describes, as {@code hal} (if present) says.
     *
     * @throws IllegalArgumentException naming the format and the board if they disagree, or the root
     *     {@code compatible} if there is no HAL and the board is unknown
     */
    static int choose(DeviceTree tree, Optional<PageTableFormat> hal) {
        OptionalInt board = boardPageSize(tree);
        if (hal.isEmpty()) {
            return board.orElseThrow(() -> new IllegalArgumentException("no page size: no PageTableFormat "
                    + "service, and the device tree's root is compatible with none of "
                    + BOARD_PAGE_SIZES.keySet().stream().sorted().toList()));
        }
        int halPageSize = hal.get().pageSize();
        if (board.isPresent() && board.getAsInt() != halPageSize) {
            throw new IllegalArgumentException("page size: the HAL's page table format " + hal.get().name()
                    + " has " + halPageSize + "-byte pages, but the board " + board(tree).orElseThrow() + " has "
                    + board.getAsInt() + "-byte pages: the arch bundle does not match the machine");
        }
        return halPageSize;
    }

    /** The board's page size, if the root is compatible with one of AstraLisp's machines (§2.3.1). */
    private static OptionalInt boardPageSize(DeviceTree tree) {
        return board(tree).map(BOARD_PAGE_SIZES::get).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    private static Optional<String> board(DeviceTree tree) {
        return BOARD_PAGE_SIZES.keySet().stream().filter(tree.root()::isCompatible).findFirst();
    }
}
