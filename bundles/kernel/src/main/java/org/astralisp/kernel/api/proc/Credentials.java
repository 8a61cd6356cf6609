package org.astralisp.kernel.api.proc;

import java.util.List;

/**
 * Who a process acts as: a user id, a group id and supplementary groups
 * (POSIX.1-2017 XBD 3.436 "User ID", 3.189 "Group ID"). uid 0 is the
 * superuser, which may signal any process.
 */
public record Credentials(int uid, int gid, List<Integer> groups) {

    public static final Credentials ROOT = new Credentials(0, 0, List.of());

    public Credentials {
        if (uid < 0 || gid < 0) {
            throw new IllegalArgumentException("uid and gid are not negative, got uid " + uid + " gid " + gid);
        }
        groups = List.copyOf(groups);
    }

    public boolean superuser() {
        return uid == 0;
    }
}
