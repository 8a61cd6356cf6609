package org.astralisp.machine.cpu;

/**
 * What an interrupt controller may do to a vCPU from any thread: tell it that
 * one of its {@link InterruptSource}s may have become pending, waking it if it
 * is halted, and making its next safepoint look at its sources.
 */
public interface VirtualCpuSignals {

    int id();

    void kick();
}
