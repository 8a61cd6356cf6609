package org.astralisp.it.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table the console's {@code bundles} command prints:
 * <pre>
 *   ID  STATE       LEVEL  NAME VERSION
 *    0  ACTIVE          0  org.apache.felix.framework 7.0.5
 * </pre>
 * A line in any other shape is an error, so that a change of the format fails
 * the tests that read it instead of hiding bundles from them.
 */
public record BundleTable(List<Row> rows) {

    private static final Pattern HEADER = Pattern.compile("\\s*ID\\s+STATE\\s+LEVEL\\s+NAME VERSION\\s*");
    private static final Pattern ROW = Pattern.compile("\\s*(\\d+)\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)\\s*");

    /** One installed bundle. */
    public record Row(long id, String state, int level, String symbolicName, String version) {
    }

    public BundleTable {
        rows = List.copyOf(rows);
    }

    /** Reads the output of {@code bundles}. */
    public static BundleTable parse(String output) {
        String[] lines = output.split("\n");
        if (!HEADER.matcher(lines[0]).matches()) {
            throw new IllegalArgumentException("not a bundle table (header expected): " + output);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            Matcher row = ROW.matcher(lines[i]);
            if (!row.matches()) {
                throw new IllegalArgumentException("line " + (i + 1) + " of the bundle table is not a bundle: "
                        + lines[i]);
            }
            rows.add(new Row(Long.parseLong(row.group(1)), row.group(2), Integer.parseInt(row.group(3)),
                    row.group(4), row.group(5)));
        }
        return new BundleTable(rows);
    }

    /** The bundle with this symbolic name (the first, if several versions are installed). */
    public Optional<Row> find(String symbolicName) {
        return rows.stream().filter(row -> row.symbolicName().equals(symbolicName)).findFirst();
    }

    /** The bundle with this id. */
    public Optional<Row> find(long id) {
        return rows.stream().filter(row -> row.id() == id).findFirst();
    }
}
