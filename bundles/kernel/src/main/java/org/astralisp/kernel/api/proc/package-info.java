/**
 * Processes as the kernel's other parts and the console see them
 * (docs/kernel.md, "Processes, signals and syscalls"): the
 * {@link org.astralisp.kernel.api.proc.ProcessTable} service, status
 * snapshots for {@code ps}, resource limits and credentials, and the
 * {@link org.astralisp.kernel.api.proc.ProgramLoader} services that turn a
 * program image into a {@link org.astralisp.kernel.api.proc.Program}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.astralisp.kernel.api.proc;
