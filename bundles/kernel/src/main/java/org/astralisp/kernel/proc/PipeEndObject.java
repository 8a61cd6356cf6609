package org.astralisp.kernel.proc;

import org.astralisp.kernel.api.ipc.Pipe;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.kernel.api.syscall.HandleType;

/**
 * One end of a pipe behind handles ({@link HandleType#PIPE_READ_END} or
 * {@link HandleType#PIPE_WRITE_END}). Each end is its own object, counted by
 * the handles to it in every table: when the last handle to the write end
 * closes, readers drain the pipe and then read end of file; when the last
 * handle to the read end closes, writers get EPIPE (POSIX.1-2017 XSH
 * {@code write}: "an attempt to write to a pipe or FIFO that is not open for
 * reading by any process").
 */
final class PipeEndObject extends WaitableObject {

    private final Pipe pipe;

    private PipeEndObject(HandleType type, int owner, Pipe pipe) {
        super(type, owner);
        this.pipe = pipe;
    }

    static PipeEndObject readEnd(int owner, Pipe pipe) {
        return new PipeEndObject(HandleType.PIPE_READ_END, owner, pipe);
    }

    static PipeEndObject writeEnd(int owner, Pipe pipe) {
        return new PipeEndObject(HandleType.PIPE_WRITE_END, owner, pipe);
    }

    Pipe pipe() {
        return pipe;
    }

    private boolean isReadEnd() {
        return type() == HandleType.PIPE_READ_END;
    }

    @Override
    void watch(WaitQueue queue) {
        pipe.watch(queue);
    }

    @Override
    void unwatch(WaitQueue queue) {
        pipe.unwatch(queue);
    }

    @Override
    boolean readsAllowed() {
        return isReadEnd();
    }

    @Override
    boolean writesAllowed() {
        return !isReadEnd();
    }

    @Override
    boolean readable() {
        return pipe.reader().ready();
    }

    @Override
    boolean writable() {
        return pipe.writer().ready();
    }

    @Override
    protected void release() {
        if (isReadEnd()) {
            pipe.reader().close();
        } else {
            pipe.writer().close();
        }
    }

    @Override
    public String describe() {
        return (isReadEnd() ? "the read end of " : "the write end of ") + pipe + " (" + pipe.capacity() + " bytes)";
    }
}
