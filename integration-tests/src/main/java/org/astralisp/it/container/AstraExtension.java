package org.astralisp.it.container;

import org.jboss.arquillian.container.spi.client.container.DeployableContainer;
import org.jboss.arquillian.core.spi.LoadableExtension;
import org.jboss.arquillian.test.spi.enricher.resource.ResourceProvider;

/** Registers the AstraLisp container and its test resources with Arquillian (found through META-INF/services). */
public final class AstraExtension implements LoadableExtension {

    @Override
    public void register(ExtensionBuilder builder) {
        builder.service(DeployableContainer.class, AstraDeployableContainer.class)
                .service(ResourceProvider.class, AstraConsoleProvider.class)
                .service(ResourceProvider.class, AstraImageProvider.class);
    }
}
