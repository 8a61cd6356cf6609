package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;
import org.astralisp.kernel.api.ipc.BrokenPipeException;
import org.astralisp.kernel.api.ipc.Pipe;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.KernelThread.State;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Pipe}: partial reads, end of file, a writer waiting for room, broken pipe, bad input. */
@Timeout(60)
class PipeTest {

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aReadReturnsWhatIsThereAndEndOfFileOnceTheWriteEndClosedAndAllIsRead() {
        Pipe pipe = new Pipe("p", 8);
        pipe.writer().write(ascii("hello"), 0, 5);
        byte[] buffer = new byte[16];
        assertEquals(3, pipe.reader().read(buffer, 0, 3), "at most what was asked");
        assertEquals(2, pipe.reader().available());
        pipe.writer().write(ascii("world!"), 0, 6); // wraps around the ring
        pipe.writer().close();
        assertEquals(8, pipe.reader().read(buffer, 3, 13), "what is there, less than asked");
        assertEquals("helloworld!", new String(buffer, 0, 11, StandardCharsets.US_ASCII));
        assertEquals(-1, pipe.reader().read(buffer, 0, 16), "end of file");
        assertEquals(0, pipe.reader().read(buffer, 0, 0));
        assertEquals(8, pipe.capacity());
        assertEquals("p", pipe.name());
    }

    @Test
    void aWriterWaitsWhileFullAndAMegabyteCrossesBetweenVcpusIntact() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Pipe pipe = new Pipe("bulk", 4096);
            byte[] data = new byte[1 << 20];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31 + (i >>> 11));
            }
            CRC32 sent = new CRC32();
            sent.update(data);
            CRC32 received = new CRC32();
            AtomicLong total = new AtomicLong();
            AtomicLong reads = new AtomicLong();
            KernelThread writer = kernel.start(0, "writer", () -> {
                pipe.writer().write(data, 0, data.length);
                pipe.writer().close();
            });
            eventually("the writer fills the pipe and waits", () -> writer.state() == State.BLOCKED);
            assertEquals(4096, pipe.reader().available());
            KernelThread reader = kernel.start(1, "reader", () -> {
                byte[] buffer = new byte[1500];
                int n;
                while ((n = pipe.reader().read(buffer, 0, buffer.length)) != -1) {
                    received.update(buffer, 0, n);
                    total.addAndGet(n);
                    reads.incrementAndGet();
                }
            });
            awaitEnd(writer);
            awaitEnd(reader);
            OnKernelThread.ended(writer);
            OnKernelThread.ended(reader);
            assertEquals(data.length, total.get());
            assertEquals(sent.getValue(), received.getValue());
        }
    }

    @Test
    void writingWithTheReadEndClosedIsABrokenPipeAlsoForAWaitingWriter() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            Pipe pipe = new Pipe("p", 4);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            KernelThread writer = kernel.start(0, "writer", () -> {
                try {
                    pipe.writer().write(ascii("0123456789"), 0, 10);
                } catch (BrokenPipeException e) {
                    failure.set(e);
                }
            });
            eventually("the writer waits on the full pipe", () -> writer.state() == State.BLOCKED);
            pipe.reader().close();
            awaitEnd(writer);
            BrokenPipeException broken = assertInstanceOf(BrokenPipeException.class, failure.get());
            assertEquals("pipe p: broken pipe, the read end is closed (4 of 10 bytes written)", broken.getMessage());
            assertEquals(4, broken.written());
            assertEquals(0, pipe.reader().available(), "closing the read end dropped what was buffered");
            assertThrows(BrokenPipeException.class, () -> pipe.writer().write(ascii("x"), 0, 1));
        }
    }

    @Test
    void badInputAndUseOfAClosedEndAreRefused() {
        assertEquals("pipe p: capacity 0 bytes is not positive",
                assertThrows(IllegalArgumentException.class, () -> new Pipe("p", 0)).getMessage());
        Pipe pipe = new Pipe("p", 4);
        byte[] buffer = new byte[4];
        assertThrows(IndexOutOfBoundsException.class, () -> pipe.reader().read(buffer, 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> pipe.writer().write(buffer, -1, 1));
        pipe.writer().write(buffer, 0, 0);
        assertEquals(0, pipe.reader().available());
        assertThrows(IllegalStateException.class, () -> pipe.reader().read(buffer, 0, 4),
                "a host thread cannot wait on an empty pipe");
        pipe.writer().close();
        assertEquals("pipe p: write after its write end was closed",
                assertThrows(IllegalStateException.class, () -> pipe.writer().write(buffer, 0, 1)).getMessage());
        pipe.reader().close();
        assertEquals("pipe p: read after its read end was closed",
                assertThrows(IllegalStateException.class, () -> pipe.reader().read(buffer, 0, 1)).getMessage());
        assertThrows(IllegalStateException.class, () -> pipe.reader().read(buffer, 0, 0));
        assertArrayEquals(new byte[4], buffer);
    }

    @Test
    void theNonBlockingCallsSayWhatIsReadyAndEveryChangeWakesAWatcher() {
        Pipe pipe = new Pipe("w", 4);
        WaitQueue watcher = new WaitQueue("watcher");
        pipe.watch(watcher);
        byte[] buffer = new byte[8];
        assertEquals(false, pipe.reader().ready(), "empty: a read would wait");
        assertEquals(true, pipe.writer().ready());
        assertEquals(0, pipe.reader().tryRead(buffer, 0, 8), "nothing there");
        long beforeWrite = watcher.prepareToWait();
        assertEquals(4, pipe.writer().tryWrite(ascii("abcdef"), 0, 6), "what fits");
        assertEquals(true, watcher.prepareToWait() != beforeWrite, "the write woke the watcher");
        assertEquals(true, pipe.reader().ready());
        assertEquals(false, pipe.writer().ready(), "full: a write would wait");
        assertEquals(0, pipe.writer().tryWrite(ascii("g"), 0, 1));
        long beforeRead = watcher.prepareToWait();
        assertEquals(4, pipe.reader().tryRead(buffer, 0, 8));
        assertEquals(true, watcher.prepareToWait() != beforeRead, "the read woke the watcher");
        assertEquals(0, pipe.reader().tryRead(buffer, 0, 0));
        long beforeClose = watcher.prepareToWait();
        pipe.writer().close();
        assertEquals(true, watcher.prepareToWait() != beforeClose, "the close woke the watcher");
        assertEquals(true, pipe.reader().ready(), "end of file is ready");
        assertEquals(-1, pipe.reader().tryRead(buffer, 0, 8));
        pipe.unwatch(watcher);
        long afterUnwatch = watcher.prepareToWait();
        pipe.reader().close();
        assertEquals(false, watcher.prepareToWait() != afterUnwatch, "no wake after unwatch");
        assertThrows(IndexOutOfBoundsException.class, () -> pipe.reader().tryRead(buffer, 4, 5));
        assertThrows(IllegalStateException.class, () -> pipe.reader().tryRead(buffer, 0, 0));
    }

    @Test
    void aTryWriteWithoutAReaderIsABrokenPipeAndTheWriteEndIsReadyToFail() {
        Pipe pipe = new Pipe("b", 1);
        pipe.writer().tryWrite(ascii("x"), 0, 1);
        pipe.reader().close();
        assertEquals(true, pipe.writer().ready(), "a write would fail at once, not wait");
        assertThrows(BrokenPipeException.class, () -> pipe.writer().tryWrite(ascii("y"), 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> pipe.writer().tryWrite(ascii("y"), 1, 1));
    }
}
