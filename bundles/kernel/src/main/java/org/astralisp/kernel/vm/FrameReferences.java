package org.astralisp.kernel.vm;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many address spaces refer to each private (anonymous) frame: 1 when a space gave it a page, one
 * more for each clone that inherited it copy-on-write. Shared-memory frames are not counted here;
 * their {@link AnonymousSharedMemory} owns them.
 *
 * <p>Invariant: a frame is in the map exactly while some space's resident pages name it; the space
 * that drops the count to zero frees it. Each update is atomic ({@link ConcurrentHashMap#compute}),
 * so spaces with different locks may release the same frame at once. A count rises only under the lock
 * of a space holding the frame (a clone), so a space holding the only reference can rely on staying the
 * only one while it holds its lock: that is what makes a copy-on-write takeover safe.
 */
final class FrameReferences {

    private final ConcurrentHashMap<Long, Integer> counts = new ConcurrentHashMap<>();

    /** Records a new frame with its first reference. */
    void claim(long frame) {
        if (counts.putIfAbsent(frame, 1) != null) {
            throw new IllegalStateException("frame 0x%x is already referenced".formatted(frame));
        }
    }

    /** One more reference to a referenced frame. */
    void share(long frame) {
        counts.compute(frame, (f, count) -> {
            if (count == null) {
                throw new IllegalStateException("frame 0x%x is not referenced".formatted(f));
            }
            return count + 1;
        });
    }

    /**
     * Drops one reference.
     *
     * @return whether it was the last, the frame now the caller's to free
     */
    boolean release(long frame) {
        boolean[] last = new boolean[1];
        counts.compute(frame, (f, count) -> {
            if (count == null) {
                throw new IllegalStateException("frame 0x%x is not referenced".formatted(f));
            }
            last[0] = count == 1;
            return count == 1 ? null : count - 1;
        });
        return last[0];
    }

    int count(long frame) {
        return counts.getOrDefault(frame, 0);
    }

    /** How many frames are referenced at all. */
    int frames() {
        return counts.size();
    }
}
