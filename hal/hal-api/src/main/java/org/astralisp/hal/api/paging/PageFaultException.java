package org.astralisp.hal.api.paging;

import java.util.Optional;

/**
 * {@link PageTable#access} of a page that is not mapped, or whose permissions do not allow the access:
 * what the hardware reports as a page fault (x86-64 #PF, RISC-V load/store/instruction page fault,
 * PowerISA DSI/ISI). Nothing was changed: no accessed or dirty bit was set.
 */
public class PageFaultException extends PageTableException {

    private static final long serialVersionUID = 1L;

    private final Access access;
    private final Privilege privilege;
    private final transient Optional<Translation> mapping;

    public PageFaultException(long virtualAddress, Access access, Privilege privilege, Optional<Translation> mapping) {
        super(virtualAddress, privilege.name().toLowerCase() + " " + access.name().toLowerCase() + " at "
                + hex(virtualAddress) + ": " + mapping.map(t -> "denied by mapping " + t).orElse("not mapped"));
        this.access = access;
        this.privilege = privilege;
        this.mapping = mapping;
    }

    public Access access() {
        return access;
    }

    public Privilege privilege() {
        return privilege;
    }

    /** The mapping that denied the access, or empty when there was none. */
    public Optional<Translation> mapping() {
        return mapping;
    }
}
