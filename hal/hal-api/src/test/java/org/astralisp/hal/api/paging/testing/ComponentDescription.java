package org.astralisp.hal.api.paging.testing;

import java.io.IOException;
import java.io.InputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The Declarative Services description bnd generated for a component class
 * ({@code OSGI-INF/<class name>.xml}), as Felix SCR will read it.
 */
public final class ComponentDescription {

    private final Document document;

    private ComponentDescription(Document document) {
        this.document = document;
    }

    public static ComponentDescription of(Class<?> component) throws IOException, ParserConfigurationException, SAXException {
        String resource = "OSGI-INF/" + component.getName() + ".xml";
        try (InputStream in = component.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource + ": bnd generated no component description");
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return new ComponentDescription(factory.newDocumentBuilder().parse(in));
        }
    }

    /** The one service interface the component provides. */
    public String providedInterface() {
        NodeList provides = document.getElementsByTagName("provide");
        if (provides.getLength() != 1) {
            throw new AssertionError(provides.getLength() + " provided interfaces, expected 1");
        }
        return ((Element) provides.item(0)).getAttribute("interface");
    }

    /** The value of a component property, or null if there is none. */
    public String property(String name) {
        NodeList properties = document.getElementsByTagName("property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            if (property.getAttribute("name").equals(name)) {
                return property.getAttribute("value");
            }
        }
        return null;
    }

    /** The target filter of the reference to {@code interfaceName}, or null if it has none. */
    public String referenceTarget(String interfaceName) {
        NodeList references = document.getElementsByTagName("reference");
        for (int i = 0; i < references.getLength(); i++) {
            Element reference = (Element) references.item(i);
            if (reference.getAttribute("interface").equals(interfaceName)) {
                return reference.hasAttribute("target") ? reference.getAttribute("target") : null;
            }
        }
        throw new AssertionError("no reference to " + interfaceName);
    }
}
