package org.astralisp.hal.riscv64.paging;

import org.astralisp.hal.api.paging.PageTableFormat;
import org.osgi.service.component.annotations.Component;

/**
 * Sv39 (RISC-V privileged specification §4.4): three levels, VPN[2] 38:30, VPN[1] 29:21, VPN[0] 20:12;
 * bits 63:39 of a virtual address equal bit 38. The riscv64 machine's scheme, ranked above Sv48.
 */
@Component(service = PageTableFormat.class, property = {"arch=riscv64", "paging=sv39", "service.ranking:Integer=1"})
public final class Sv39PageTableFormat extends SvPageTableFormat {

    public Sv39PageTableFormat() {
        super("Sv39", 3, 8);
    }
}
