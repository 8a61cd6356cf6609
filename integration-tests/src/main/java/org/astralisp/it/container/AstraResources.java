package org.astralisp.it.container;

import java.util.function.Function;
import org.jboss.arquillian.container.spi.Container;
import org.jboss.arquillian.container.spi.ContainerRegistry;

/**
 * Finds what a test asks for with {@code @ArquillianResource} on the running
 * AstraLisp container. It looks the container up in the registry rather than in
 * the container context, so that test classes without a deployment (which have
 * no container context) get them too.
 */
final class AstraResources {

    private AstraResources() {
    }

    static <T> T lookup(ContainerRegistry registry, Function<AstraDeployableContainer, T> resource) {
        for (Container<?> container : registry.getContainers()) {
            if (container.getDeployableContainer() instanceof AstraDeployableContainer astra) {
                T resolved = resource.apply(astra);
                if (resolved == null) {
                    throw new IllegalStateException("the AstraLisp image is not running (did it fail to boot?)");
                }
                return resolved;
            }
        }
        throw new IllegalStateException("no AstraLisp container is configured (arquillian.xml)");
    }
}
