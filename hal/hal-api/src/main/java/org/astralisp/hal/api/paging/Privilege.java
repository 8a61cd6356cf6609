package org.astralisp.hal.api.paging;

/**
 * Who makes an access: the kernel or a user program.
 *
 * <p>All three machines run with the kernel kept out of user pages, as current kernels configure them:
 * x86-64 with CR4.SMEP and CR4.SMAP set (Intel SDM Vol. 3A §4.6.1), RISC-V with {@code sstatus.SUM = 0}
 * (privileged spec §4.1.1.2), ppc64 with user pages locked out of the kernel through the AMR/IAMR
 * (the Authority Mask Registers, as Linux's kernel userspace access prevention uses them on POWER9). So a user access needs a
 * {@linkplain Permissions#user() user} mapping and a supervisor access a non-user one; the kernel
 * reaches user memory by making the access on the user's behalf ({@link #USER}).
 */
public enum Privilege {
    SUPERVISOR,
    USER
}
