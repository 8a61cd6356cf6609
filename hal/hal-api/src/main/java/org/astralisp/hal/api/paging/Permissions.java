package org.astralisp.hal.api.paging;

/**
 * What a mapping allows: read, write, execute, user access, and whether it is global (kept in the TLB
 * across address-space switches). Not every architecture can express every combination; ask
 * {@link PageTableFormat#supports(Permissions)}.
 *
 * <p>The text form, used by {@link #parse} and {@link #toString}, is five characters {@code rwxug}
 * in that order with {@code -} for an absent permission, e.g. {@code rw-u-} for user data.
 */
public record Permissions(boolean read, boolean write, boolean execute, boolean user, boolean global) {

    private static final String LETTERS = "rwxug";

    /**
     * Parses the five-character form {@code rwxug}.
     *
     * @throws IllegalArgumentException naming the text if it is not five characters, each the letter
     *     for its position or {@code -}
     */
    public static Permissions parse(String text) {
        if (text.length() != LETTERS.length()) {
            throw new IllegalArgumentException("permissions must be 5 characters rwxug, '-' for absent: \"" + text + "\"");
        }
        boolean[] flags = new boolean[LETTERS.length()];
        for (int i = 0; i < flags.length; i++) {
            char c = text.charAt(i);
            if (c != '-' && c != LETTERS.charAt(i)) {
                throw new IllegalArgumentException(
                        "permissions position " + i + " must be '" + LETTERS.charAt(i) + "' or '-': \"" + text + "\"");
            }
            flags[i] = c != '-';
        }
        return new Permissions(flags[0], flags[1], flags[2], flags[3], flags[4]);
    }

    /**
     * Whether an access of this kind by this privilege is allowed. A user access needs a user mapping and
     * a supervisor access a non-user one (see {@link Privilege} for why).
     */
    public boolean permits(Access access, Privilege privilege) {
        boolean kind = switch (access) {
            case READ -> read;
            case WRITE -> write;
            case EXECUTE -> execute;
        };
        return kind && user == (privilege == Privilege.USER);
    }

    /** The same permissions with {@code global} replaced. */
    public Permissions withGlobal(boolean global) {
        return new Permissions(read, write, execute, user, global);
    }

    /**
     * These permissions as far as an upper-level entry allows them: x86-64 directory entries can take
     * away write, execute and user access for everything below them (Intel SDM Vol. 3A §4.6).
     */
    public Permissions limitedTo(boolean writeAllowed, boolean executeAllowed, boolean userAllowed) {
        return new Permissions(read, write && writeAllowed, execute && executeAllowed, user && userAllowed, global);
    }

    @Override
    public String toString() {
        boolean[] flags = {read, write, execute, user, global};
        StringBuilder text = new StringBuilder(LETTERS.length());
        for (int i = 0; i < flags.length; i++) {
            text.append(flags[i] ? LETTERS.charAt(i) : '-');
        }
        return text.toString();
    }
}
