package org.astralisp.boot.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** Runs against a real Felix framework: the tracker and the service events are the real ones. */
class SwapSafeServiceTest {

    @TempDir
    Path storage;
    private Framework framework;
    private BundleContext context;

    @BeforeEach
    void startFramework() throws Exception {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow();
        framework = factory.newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                "felix.log.level", "0"));
        framework.start();
        context = framework.getBundleContext();
    }

    @AfterEach
    void stopFramework() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    @SuppressWarnings("unchecked")
    private SwapSafeService<Supplier<String>> handle(Duration patience) {
        return new SwapSafeService<>(context, (Class<Supplier<String>>) (Class<?>) Supplier.class, patience);
    }

    private ServiceRegistration<?> register(Supplier<String> service) {
        return context.registerService(Supplier.class.getName(), service, null);
    }

    @Test
    void callsTheCurrentInstance() {
        register(() -> "v1");
        try (SwapSafeService<Supplier<String>> handle = handle(Duration.ofSeconds(5))) {
            assertEquals("v1", handle.call(Supplier::get));
        }
    }

    @Test
    void waitsForAnInstanceThatAppearsLater() throws Exception {
        try (SwapSafeService<Supplier<String>> handle = handle(Duration.ofSeconds(10))) {
            CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> handle.call(Supplier::get));
            Thread.sleep(100);
            register(() -> "late");
            assertEquals("late", call.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void retriesOnTheSuccessorWhenTheInstanceIsHandingOver() throws Exception {
        ServiceRegistration<?> old = register(() -> {
            throw new ServiceQuiescedException("sample");
        });
        try (SwapSafeService<Supplier<String>> handle = handle(Duration.ofSeconds(10))) {
            CompletableFuture<String> call = CompletableFuture.supplyAsync(() -> handle.call(Supplier::get));
            Thread.sleep(100);
            old.unregister();
            register(() -> "successor");
            assertEquals("successor", call.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSwapThatNeverCompletesEndsInASpecificError() {
        register(() -> {
            throw new ServiceQuiescedException("stuck");
        });
        try (SwapSafeService<Supplier<String>> handle = handle(Duration.ofMillis(200))) {
            assertThrows(ServiceUnavailableException.class, () -> handle.call(Supplier::get));
        }
    }

    @Test
    void givesUpAfterItsPatienceWithASpecificError() {
        try (SwapSafeService<Supplier<String>> handle = handle(Duration.ofMillis(200))) {
            ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class, () -> handle.call(Supplier::get));
            assertEquals("no java.util.function.Supplier service answered within 200 ms", e.getMessage());
        }
    }

    @Test
    void anInterruptedWaitEndsTheCallAndKeepsTheInterrupt() throws Exception {
        try (SwapSafeService<Supplier<String>> handle = handle(Duration.ofSeconds(30))) {
            CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    handle.call(Supplier::get);
                    interrupted.complete(false);
                } catch (ServiceUnavailableException e) {
                    interrupted.complete(Thread.currentThread().isInterrupted());
                }
            });
            caller.start();
            Thread.sleep(100);
            caller.interrupt();
            assertTrue(interrupted.get(10, TimeUnit.SECONDS));
        }
    }
}
