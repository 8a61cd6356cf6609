package org.astralisp.boot.framework;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/** Turns the framework's exceptions into one line a user can act on. */
public final class BundleFailure {

    private static final Pattern MISSING = Pattern.compile(
            "missing requirement \\[.*?\\] ([\\w.]+); \\(&?\\(?([\\w.]+)=([^)]+)\\)");

    private BundleFailure() {
    }

    /** {@code org.x 1.0.0 [5]}. */
    public static String name(Bundle bundle) {
        String name = bundle.getSymbolicName() == null ? bundle.getLocation() : bundle.getSymbolicName();
        return name + " " + bundle.getVersion() + " [" + bundle.getBundleId() + "]";
    }

    /** Why {@code failure} happened, in one line. */
    public static String reason(Throwable failure) {
        if (failure instanceof BundleException be && be.getType() == BundleException.RESOLVE_ERROR) {
            Matcher missing = MISSING.matcher(String.valueOf(be.getMessage()));
            if (missing.find()) {
                String what = switch (missing.group(2)) {
                    case "osgi.wiring.package" -> "package";
                    case "osgi.wiring.bundle" -> "required bundle";
                    case "osgi.wiring.host" -> "fragment host";
                    default -> missing.group(2);
                };
                return "cannot resolve: missing " + what + " " + missing.group(3);
            }
            return "cannot resolve: " + firstLine(be.getMessage());
        }
        Throwable cause = failure;
        if (failure instanceof BundleException && failure.getCause() != null) {
            cause = failure.getCause();
        }
        String message = cause.getMessage();
        String prefix = cause == failure ? "" : cause.getClass().getSimpleName() + ": ";
        return prefix + (message == null ? cause.getClass().getName() : firstLine(message));
    }

    private static String firstLine(String message) {
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
