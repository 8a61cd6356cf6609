package org.astralisp.kernel.testing;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** A bundle context that records the services registered through it, and their unregistration. */
public final class RecordingContext {

    /** Registered services by interface name. */
    public final Map<String, Object> services = new ConcurrentHashMap<>();
    public final BundleContext context = (BundleContext) Proxy.newProxyInstance(RecordingContext.class.getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                if (!method.getName().equals("registerService")) {
                    throw new UnsupportedOperationException(method.getName());
                }
                List<String> names = switch (args[0]) {
                    case String[] array -> List.of(array);
                    case Class<?> type -> List.of(type.getName());
                    default -> List.of((String) args[0]);
                };
                names.forEach(name -> services.put(name, args[1]));
                return registration(names);
            });

    private ServiceRegistration<?> registration(List<String> names) {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(RecordingContext.class.getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("unregister")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    names.forEach(services::remove);
                    return null;
                });
    }

    public <S> S service(Class<S> type) {
        return type.cast(services.get(type.getName()));
    }
}
