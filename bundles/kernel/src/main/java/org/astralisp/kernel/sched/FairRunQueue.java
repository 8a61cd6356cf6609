package org.astralisp.kernel.sched;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.TreeSet;
import org.astralisp.kernel.api.sched.RunQueue;
import org.astralisp.kernel.api.sched.ScheduledThread;

/**
 * Fair share in the spirit of Linux's CFS (kernel/sched/fair.c): each thread
 * has a virtual runtime that advances by its CPU time scaled by
 * {@code 1024 / weight} ({@link NiceWeights}); the thread with the least
 * virtual runtime runs next, so over time each gets CPU in proportion to its
 * weight.
 *
 * <h2>Invariants</h2>
 * <ul>
 * <li>{@code minVruntime} never decreases; it follows the least virtual
 *     runtime of the queued threads and the one that ran last
 *     ({@code update_min_vruntime}).</li>
 * <li>A queued thread's {@link Account} is in the tree and not changed until
 *     it leaves it: the tree is ordered by (virtual runtime, arrival number).</li>
 * <li>An account's virtual runtime is on the time line of its {@code frame},
 *     the queue it was last in; a thread taken out to migrate keeps its lag
 *     ({@code vruntime - minVruntime}) and the queue it enters adds its own
 *     {@code minVruntime}, so it stays as far ahead or behind the others as
 *     it was. A thread woken on another vCPU is moved over by the difference
 *     of the two queues' {@code minVruntime} the same way.</li>
 * </ul>
 *
 * <h2>Placement</h2>
 * A NEW thread starts one virtual slice after {@code minVruntime} (CFS's
 * {@code START_DEBIT}: spawning does not buy CPU); a WOKEN one at no less
 * than half a slice before it (CFS's {@code GENTLE_FAIR_SLEEPERS}: a sleeper
 * gets some credit but cannot bank what it slept); a thread with no account
 * of this policy (just swapped in) at {@code minVruntime}.
 */
final class FairRunQueue implements RunQueue {

    /**
     * A thread's virtual runtime, in nanoseconds on its frame's time line; while
     * it migrates (frame null) its lag behind the queue it left.
     */
    static final class Account {
        long vruntime;
        long arrival;
        FairRunQueue frame;
    }

    private static final Comparator<Account> ORDER = Comparator.<Account>comparingLong(a -> a.vruntime)
            .thenComparingLong(a -> a.arrival);

    private final TreeSet<Account> tree = new TreeSet<>(ORDER);
    private final IdentityHashMap<Account, ScheduledThread> owners = new IdentityHashMap<>();
    /** Written under its vCPU's lock; read by a wake-up on another vCPU, hence volatile. */
    private volatile long minVruntime;
    private long arrivals;
    /** The account of the thread {@link #next()} gave and that has not reported {@link #ran} yet. */
    private Account current;

    long minVruntime() {
        return minVruntime;
    }

    /** {@code thread}'s virtual runtime on this queue's time line, or -1 if it has no account here. */
    long vruntime(ScheduledThread thread) {
        return thread.policyState() instanceof Account account && account.frame == this ? account.vruntime : -1;
    }

    private static long scaled(long nanos, ScheduledThread thread) {
        return nanos * NiceWeights.NICE_0 / NiceWeights.weight(thread.attributes());
    }

    @Override
    public void add(ScheduledThread thread, Arrival arrival) {
        Account account;
        if (thread.policyState() instanceof Account own) {
            account = own;
            if (account.frame == null) {
                account.vruntime += minVruntime;
            } else if (account.frame != this) {
                account.vruntime = account.vruntime - account.frame.minVruntime + minVruntime;
            }
            switch (arrival) {
                case NEW -> account.vruntime = Math.max(account.vruntime,
                        minVruntime + scaled(VcpuExecutor.SLICE, thread));
                case WOKEN -> account.vruntime = Math.max(account.vruntime, minVruntime - VcpuExecutor.SLICE / 2);
                case YIELDED, MIGRATED -> { }
            }
        } else {
            account = new Account();
            account.vruntime = arrival == Arrival.NEW ? minVruntime + scaled(VcpuExecutor.SLICE, thread) : minVruntime;
            thread.policyState(account);
        }
        account.frame = this;
        account.arrival = arrivals++;
        tree.add(account);
        owners.put(account, thread);
        advanceMin();
    }

    @Override
    public ScheduledThread next() {
        Account account = tree.pollFirst();
        if (account == null) {
            return null;
        }
        current = account;
        advanceMin();
        return owners.remove(account);
    }

    @Override
    public boolean remove(ScheduledThread thread) {
        if (!(thread.policyState() instanceof Account account) || account.frame != this || !tree.remove(account)) {
            return false;
        }
        owners.remove(account);
        account.vruntime -= minVruntime; // its lag, until the queue it migrates to takes it
        account.frame = null;
        advanceMin();
        return true;
    }

    @Override
    public List<ScheduledThread> threads() {
        List<ScheduledThread> all = new ArrayList<>(tree.size());
        for (Account account : tree) {
            all.add(owners.get(account));
        }
        return all;
    }

    @Override
    public int size() {
        return tree.size();
    }

    @Override
    public void ran(ScheduledThread thread, long nanos) {
        if (thread.policyState() instanceof Account account && account.frame == this) {
            account.vruntime += scaled(nanos, thread);
            advanceMin();
        }
        current = null;
    }

    /** {@code update_min_vruntime}: up to the least of the running and the leftmost, never down. */
    private void advanceMin() {
        long least = Long.MAX_VALUE;
        if (current != null) {
            least = current.vruntime;
        }
        if (!tree.isEmpty()) {
            least = Math.min(least, tree.first().vruntime);
        }
        if (least != Long.MAX_VALUE) {
            minVruntime = Math.max(minVruntime, least);
        }
    }
}
