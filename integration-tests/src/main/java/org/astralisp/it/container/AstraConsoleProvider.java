package org.astralisp.it.container;

import java.lang.annotation.Annotation;
import org.jboss.arquillian.container.spi.ContainerRegistry;
import org.jboss.arquillian.core.api.Instance;
import org.jboss.arquillian.core.api.annotation.Inject;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.arquillian.test.spi.enricher.resource.ResourceProvider;

/** {@code @ArquillianResource AstraConsole}: the console of the running image. */
public final class AstraConsoleProvider implements ResourceProvider {

    @Inject
    private Instance<ContainerRegistry> registry;

    @Override
    public boolean canProvide(Class<?> type) {
        return type == AstraConsole.class;
    }

    @Override
    public Object lookup(ArquillianResource resource, Annotation... qualifiers) {
        return AstraResources.lookup(registry.get(), AstraDeployableContainer::console);
    }
}
