package org.astralisp.kernel.tty;

/**
 * The UART driver's counters since it started.
 *
 * @param received       bytes read from RBR and taken by the tty
 * @param transmitted    bytes written to THR
 * @param overruns       LSR.OE seen: characters the UART itself lost
 * @param parityErrors   LSR.PE seen
 * @param framingErrors  LSR.FE seen
 * @param breaks         LSR.BI seen (the break's 0 byte is not passed on)
 * @param droppedInput   bytes read from RBR that the tty's input buffer had no room for
 * @param droppedOutput  bytes written while the transmitter stayed busy past the polling bound
 * @param carrierChanges MSR.DDCD seen
 * @param interrupts     times the interrupt handler ran
 */
record UartStatistics(long received, long transmitted, long overruns, long parityErrors, long framingErrors,
        long breaks, long droppedInput, long droppedOutput, long carrierChanges, long interrupts) {
}
