package org.astralisp.kernel.proc;

import org.astralisp.kernel.api.syscall.HandleType;
import org.astralisp.kernel.api.vm.SharedMemory;

/**
 * A shared memory object of the VMM behind handles. When the last handle
 * closes it closes the object (its frames go back once no region maps it)
 * and gives its pages back to its creator's memory limit.
 */
final class SharedMemoryObject extends KernelObject {

    private final SharedMemory memory;
    private final Runnable uncommit;

    SharedMemoryObject(int owner, SharedMemory memory, Runnable uncommit) {
        super(HandleType.SHARED_MEMORY, owner);
        this.memory = memory;
        this.uncommit = uncommit;
    }

    SharedMemory memory() {
        return memory;
    }

    @Override
    protected void release() {
        memory.close();
        uncommit.run();
    }

    @Override
    public String describe() {
        return "shared memory of " + memory.size() + " bytes";
    }
}
