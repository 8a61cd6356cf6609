package org.astralisp.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One running system per image: booting an image that is already running would
 * clean the framework cache and interleave the kernel log under the running
 * system (like mounting one disk in two machines). The lock is an OS file lock
 * on {@code var/run/astra.lock}, so it dies with the process, whatever the way
 * it ends; the file holds the owner's pid for the error message.
 */
final class ImageLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private ImageLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static ImageLock acquire(Path file) throws BootException {
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            if (lock == null) {
                String owner = owner(channel);
                channel.close();
                throw new BootException("the image is already running" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                        + "; boot a copy of it instead (lock: " + file + ")");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return new ImageLock(channel, lock);
        } catch (IOException e) {
            throw new BootException("cannot lock the image (" + file + "): " + e.getMessage());
        }
    }

    private static String owner(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The lock goes with the process anyway; nothing is lost.
        }
    }
}
