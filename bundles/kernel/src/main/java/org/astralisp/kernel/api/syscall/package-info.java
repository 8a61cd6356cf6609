/**
 * What programs see of the kernel (ARCHITECTURE §3, as Linux's uapi headers):
 * the system call table {@link org.astralisp.kernel.api.syscall.SystemCalls},
 * its errors ({@link org.astralisp.kernel.api.syscall.Errno},
 * {@link org.astralisp.kernel.api.syscall.SystemCallException}), signals and
 * their dispositions, exit statuses, handle types and program images
 * (docs/kernel.md, "Processes, signals and syscalls").
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.2.0")
package org.astralisp.kernel.api.syscall;
