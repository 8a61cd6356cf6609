package org.astralisp.kernel.api.vm;

import org.astralisp.hal.api.paging.Access;
import org.astralisp.hal.api.paging.Privilege;

/**
 * An access the address space refuses: the address is in no region, or its region does not allow the
 * access (Linux's {@code SIGSEGV} with {@code SEGV_MAPERR} or {@code SEGV_ACCERR}). Nothing was
 * changed: no frame allocated, no accessed or dirty bit set.
 *
 * <p>The message names the access, the address in hex, the reason and the region, e.g. {@code
 * segmentation fault: user write at 0x0000000000401008: not writable: region [0x0000000000400000,
 * 0x0000000000402000) r--u- anonymous}.
 */
public final class SegmentationFaultException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the access was refused. */
    public enum Reason {
        /** The address is not in the format's translated range (non-canonical on x86-64). */
        OUTSIDE_ADDRESS_SPACE("outside the address space"),
        /** No region contains the address ({@code SEGV_MAPERR}). */
        NOT_MAPPED("no mapping"),
        /** A user access to a region that is not {@code user}. */
        SUPERVISOR_ONLY("supervisor-only"),
        /** A supervisor access to a user region: the kernel reaches user memory only as {@code USER} (SMAP, SUM = 0, KUAP). */
        USER_ONLY("user page"),
        /** A read of a region without read permission. */
        NOT_READABLE("not readable"),
        /** A write to a region without write permission. */
        NOT_WRITABLE("not writable"),
        /** An instruction fetch from a region without execute permission. */
        NOT_EXECUTABLE("not executable");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        /** A few words for messages, e.g. "not writable". */
        public String description() {
            return description;
        }
    }

    private final long address;
    private final Access access;
    private final Privilege privilege;
    private final Reason reason;

    /**
     * @param detail the facts behind the reason: the region refused, or the address range
     */
    public SegmentationFaultException(long address, Access access, Privilege privilege, Reason reason, String detail) {
        super("segmentation fault: " + privilege.name().toLowerCase() + " " + access.name().toLowerCase() + " at "
                + VirtualRange.hex(address) + ": " + reason.description() + ": " + detail);
        this.address = address;
        this.access = access;
        this.privilege = privilege;
        this.reason = reason;
    }

    public long address() {
        return address;
    }

    public Access access() {
        return access;
    }

    public Privilege privilege() {
        return privilege;
    }

    public Reason reason() {
        return reason;
    }
}
