package org.astralisp.hal.riscv64.paging;

import org.astralisp.hal.api.paging.PageTableFormat;
import org.osgi.service.component.annotations.Component;

/**
 * Sv48 (RISC-V privileged specification §4.5): four levels, VPN[3] 47:39 above Sv39's three; bits 63:48
 * of a virtual address equal bit 47. Offered for address spaces larger than Sv39's 512 GiB.
 */
@Component(service = PageTableFormat.class, property = {"arch=riscv64", "paging=sv48", "service.ranking:Integer=0"})
public final class Sv48PageTableFormat extends SvPageTableFormat {

    public Sv48PageTableFormat() {
        super("Sv48", 4, 9);
    }
}
