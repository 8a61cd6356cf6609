package org.astralisp.kernel.api.syscall;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The system call table: every kernel entry point a program uses
 * (docs/kernel.md, "The system call table"). The caller is the process of the
 * calling kernel thread; a call from any other thread is EPERM. Each call
 * validates every argument and every handle (it exists in the caller's table,
 * is of the right type, has not been revoked) before it changes anything, and
 * fails with a {@link SystemCallException} naming the argument and the reason.
 * Every call first delivers the caller's pending signals and checks its CPU
 * time limit, as Linux does on the way back to user mode.
 */
public interface SystemCalls {

    /** The longest timeout: wait until the call can complete (292 years). */
    Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    /** The most bytes one message carries. */
    int MAX_MESSAGE_BYTES = 64 * 1024;

    /** The most handles one message carries (Zircon's limit). */
    int MAX_MESSAGE_HANDLES = 64;

    /** The largest channel capacity, in messages. */
    int MAX_CHANNEL_CAPACITY = 4096;

    /** The largest pipe capacity, in bytes (Linux's default {@code pipe-max-size}). */
    int MAX_PIPE_CAPACITY = 1 << 20;

    /** The most bytes one {@link #pipeRead} or {@link #pipeWrite} moves. */
    int MAX_PIPE_TRANSFER = 1 << 20;

    /** The longest {@link #alarm} delay (a year: deadlines stay far inside the clock's range). */
    Duration MAX_ALARM = Duration.ofDays(365);

    /** The most requests one {@link #poll} takes. */
    int MAX_POLL_REQUESTS = 1024;

    /** The caller's pid. */
    int getpid();

    /** The caller's parent's pid (1 once re-parented to init, 0 for init). */
    int getppid();

    /**
     * Starts {@code image} as a child process with {@code args}, in the
     * caller's process group and session, with the caller's credentials and
     * limits; its pid. ENOEXEC if no loader can load it, EAGAIN if the pid
     * space is full, E2BIG for too many or too long arguments.
     */
    int spawn(ProgramImage image, List<String> args);

    /**
     * {@link #spawn(ProgramImage, List)}, and the child's table starts with
     * copies of {@code handles}, as handles 0, 1, … in that order (how a
     * parent gives a child its first channel). EBADF or EIO for a handle the
     * caller cannot use; nothing is spawned then.
     */
    int spawn(ProgramImage image, List<String> args, int[] handles);

    /**
     * Ends the caller's process with {@code code & 0xff} (POSIX {@code _exit}):
     * every thread of it ends; never returns.
     */
    void exit(int code);

    /**
     * Waits for a child to end and reaps it (POSIX waitpid): {@code pid} > 0
     * that child, -1 any child, 0 any child in the caller's process group,
     * &lt; -1 any child in group {@code -pid}. ECHILD if there is no such
     * child; EINTR if a signal came first. With {@code noHang} it does not
     * block: empty if none has ended yet.
     */
    Optional<WaitResult> wait(int pid, boolean noHang);

    /**
     * Sends {@code signal} (POSIX kill): {@code pid} > 0 to that process, 0 to
     * the caller's process group, -1 is refused (EINVAL: no broadcast), &lt; -1
     * to group {@code -pid}. ESRCH if there is no such process or group, EPERM
     * for pid 0 and 1 (the kernel and init) or another user's process.
     */
    void kill(int pid, Signal signal);

    /** Sets what the caller does with {@code signal}; the previous disposition. EINVAL for KILL and STOP. */
    SignalDisposition sigaction(Signal signal, SignalDisposition disposition);

    /** POSIX setpgid: {@code pid} 0 means the caller, {@code pgid} 0 means {@code pid}. */
    void setpgid(int pid, int pgid);

    /** The process group of {@code pid} (0: the caller). */
    int getpgid(int pid);

    /** POSIX setsid: a new session and group led by the caller; its id. EPERM if the caller leads a group. */
    int setsid();

    /** The session of {@code pid} (0: the caller). */
    int getsid(int pid);

    /** A second handle to what {@code handle} names (POSIX dup); EMFILE at the handle limit. */
    int dup(int handle);

    /** Closes {@code handle}. */
    void close(int handle);

    /**
     * Revokes the object {@code handle} names: every handle to it, in every
     * process, fails with EIO from now on (closing still works). EPERM unless
     * the caller created the object.
     */
    void revoke(int handle);

    /** The type of the object {@code handle} names. */
    HandleType handleType(int handle);

    /** A {@link HandleType#PROCESS} handle to {@code pid}: the caller's child or a process of its user. */
    int openProcess(int pid);

    /** The exit status of the process {@code processHandle} names, empty while it runs. */
    Optional<ExitStatus> processExitStatus(int processHandle);

    /** Gives the vCPU to the next runnable thread. */
    void yield();

    /**
     * A new thread of the caller's process running {@code body}; its name.
     * EAGAIN at the thread limit. When it ends, only it ends; an exception
     * ends the whole process with {@link ExitStatus#FAILURE}.
     */
    String spawnThread(String name, Runnable body);

    /**
     * Maps {@code length} bytes of zeroed private memory at {@code address}
     * with {@code permissions} ({@code rwx} letters, {@code -} for absent).
     * EINVAL for a misaligned, empty or overlapping range; ENOMEM beyond the
     * memory limit.
     */
    void map(long address, long length, String permissions);

    /** Removes the mappings of {@code [address, address + length)}; EINVAL if a part is not mapped. */
    void unmap(long address, long length);

    /** A {@link HandleType#SHARED_MEMORY} handle to {@code size} bytes of new shared memory. */
    int createSharedMemory(long size);

    /** Maps {@code length} bytes of the shared memory {@code handle} from {@code offset}, read-write. */
    void mapShared(int handle, long address, long length, long offset);

    /** Reads {@code length} bytes of the caller's memory at {@code address}; EFAULT where not readable. */
    byte[] read(long address, int length);

    /** Writes {@code bytes} into the caller's memory at {@code address}; EFAULT where not writable. */
    void write(long address, byte[] bytes);

    /**
     * Blocks the calling thread for {@code duration}; EINVAL if negative,
     * EINTR if a signal handler ran meanwhile (a signal without a handler
     * does not end it early, unless it ends the process).
     */
    void sleep(Duration duration);

    /**
     * Sends the caller's process {@link Signal#ALRM} after {@code delay}
     * (POSIX XSH {@code alarm}), replacing any alarm set before; zero cancels
     * it. Returns what was left of the earlier alarm (zero if there was none,
     * or it had gone off). One alarm per process; a spawned child starts
     * without one. EINVAL for a negative delay or one beyond {@link #MAX_ALARM}.
     */
    Duration alarm(Duration delay);

    /** A new channel of {@code capacity} messages (1..{@link #MAX_CHANNEL_CAPACITY}, EINVAL otherwise). */
    int channelCreate(int capacity);

    /**
     * Closes the channel for sending: receivers get what was sent before,
     * then the end (an empty receive); later sends are EPIPE. The handle
     * stays open.
     */
    void channelClose(int channel);

    /**
     * Sends {@code data} and moves {@code handles} from the caller's table
     * into the message (they are closed here once it is queued; a receiver
     * gets them in its table). Waits up to {@code timeout} for room: zero
     * never waits (EAGAIN), {@link #FOREVER} waits as long as it takes;
     * ETIMEDOUT when it passes, EINTR if a signal handler ran. EMSGSIZE for
     * more than {@link #MAX_MESSAGE_BYTES}, EINVAL for more than
     * {@link #MAX_MESSAGE_HANDLES} handles, for the channel's own handle,
     * or a negative timeout; EPIPE on a closed channel. A refused send keeps
     * every handle where it was.
     */
    void send(int channel, byte[] data, int[] handles, Duration timeout);

    /**
     * The next message of the channel, its handles installed in the caller's
     * table; empty once the channel is closed and drained. Waits as
     * {@link #send} does. EMFILE if the caller's table has no room for the
     * message's handles: the message stays first in the channel.
     */
    Optional<ReceivedMessage> receive(int channel, Duration timeout);

    /**
     * A new pipe of {@code capacity} bytes (1..{@link #MAX_PIPE_CAPACITY},
     * EINVAL otherwise): a read-end and a write-end handle (EMFILE, and
     * neither is installed, if both do not fit). Each end is counted by its
     * handles: closing the last handle of the write end gives readers the
     * end of file, closing the last of the read end gives writers EPIPE.
     * Pipe ends pass over channels like other handles.
     */
    PipeHandles pipeCreate(int capacity);

    /**
     * Reads at least one and at most {@code maxBytes} bytes (1..{@link
     * #MAX_PIPE_TRANSFER}, EINVAL otherwise) from a pipe's read end: what is
     * there; empty at the end of file (every write end closed and all read).
     * Waits as {@link #send} does: zero never waits (EAGAIN), ETIMEDOUT,
     * EINTR if a signal handler ran (a signal without one restarts the
     * wait). EINVAL for a handle that is not a read end.
     */
    Optional<byte[]> pipeRead(int readEnd, int maxBytes, Duration timeout);

    /**
     * Writes {@code data} (at most {@link #MAX_PIPE_TRANSFER} bytes, EINVAL
     * otherwise) into a pipe's write end, waiting while it is full; the
     * bytes written: all of them, or — when the timeout passes or a signal
     * handler runs after some were written — those (POSIX XSH {@code write});
     * with none written that is EAGAIN (zero timeout), ETIMEDOUT or EINTR.
     * Once every read end is closed the caller's process is sent SIGPIPE and
     * the call fails with EPIPE (if the signal is ignored or handled; by
     * default it ends the process). EINVAL for a handle that is not a write
     * end.
     */
    int pipeWrite(int writeEnd, byte[] data, Duration timeout);

    /**
     * Waits until at least one of {@code requests} is ready (POSIX XSH
     * {@code poll}): the ready ones, in the order asked; empty when
     * {@code timeout} passes first (zero only looks). A signal whose handler
     * runs ends it with EINTR; one without a handler lets it go on waiting.
     * EFAULT for a null list; EINVAL for more than {@link
     * #MAX_POLL_REQUESTS} requests, a null request or event, a handle that
     * cannot be polled for the event (a process or shared memory; the write
     * end of a pipe for reading, the read end for writing), a negative
     * timeout; EBADF and EIO for handles as every call. No request at all
     * waits for the timeout.
     */
    List<PollRequest> poll(List<PollRequest> requests, Duration timeout);
}
