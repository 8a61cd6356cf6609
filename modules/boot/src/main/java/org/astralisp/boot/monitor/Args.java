package org.astralisp.boot.monitor;

import java.util.List;
import org.astralisp.boot.spi.CommandException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Argument checks shared by the built-in commands; each error names the argument. */
final class Args {

    private Args() {
    }

    static void count(List<String> args, int expected, String usage) throws CommandException {
        if (args.size() != expected) {
            throw new CommandException("usage: " + usage);
        }
    }

    static Bundle bundle(BundleContext context, String text) throws CommandException {
        long id;
        try {
            id = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CommandException("'" + text + "' is not a bundle id (see: bundles)");
        }
        Bundle bundle = context.getBundle(id);
        if (bundle == null) {
            throw new CommandException("no bundle with id " + id);
        }
        return bundle;
    }
}
