package org.astralisp.hal.api.paging;

/** The kind of a memory access, as a page walk checks it against a mapping's {@link Permissions}. */
public enum Access {
    /** A load: needs {@link Permissions#read()}. */
    READ,
    /** A store: needs {@link Permissions#write()}; sets the dirty bit. */
    WRITE,
    /** An instruction fetch: needs {@link Permissions#execute()}. */
    EXECUTE
}
