package dev.carrot.rewards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;

/** Finds {@link RewardSchemeProvider}s with {@link ServiceLoader}, on the classpath or in a plugin jar. */
public final class RewardPlugins {

    static final String SERVICE_FILE = "META-INF/services/" + RewardSchemeProvider.class.getName();

    private RewardPlugins() {}

    /** The providers that jars on the classpath of {@code loader} declare. */
    public static List<RewardSchemeProvider> onClasspath(ClassLoader loader) {
        try {
            return ServiceLoader.load(RewardSchemeProvider.class, loader).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList();
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("a reward plugin on the classpath is broken: " + e.getMessage(), e);
        }
    }

    /**
     * The providers that {@code jar} declares. Its classes are loaded in a class loader of their own, whose parent
     * is the one that loaded Carrot, so a plugin compiles against carrot-rewards and bundles only what else it
     * needs. The loader stays open for as long as the schemes may be used, which is the life of the process.
     *
     * @throws IllegalArgumentException if the file is not a readable jar or declares no provider
     */
    public static List<RewardSchemeProvider> load(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("reward plugin " + jar + ": no such file");
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getEntry(SERVICE_FILE) == null) {
                throw new IllegalArgumentException("reward plugin " + jar + " declares no reward scheme: it lacks "
                        + SERVICE_FILE + ", which should list its RewardSchemeProvider classes");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("reward plugin " + jar + " is not a readable jar: " + e.getMessage(), e);
        }
        URLClassLoader loader = new URLClassLoader("reward-plugin " + jar.getFileName(), new URL[] {url(jar)},
                RewardSchemeProvider.class.getClassLoader());
        try {
            List<RewardSchemeProvider> providers = ServiceLoader.load(RewardSchemeProvider.class, loader).stream()
                    .filter(provider -> provider.type().getClassLoader() == loader)
                    .map(ServiceLoader.Provider::get)
                    .toList();
            if (providers.isEmpty()) {
                throw new IllegalArgumentException("reward plugin " + jar + ": " + SERVICE_FILE
                        + " names no RewardSchemeProvider class of its own");
            }
            return providers;
        } catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException("reward plugin " + jar + " is broken: " + e.getMessage(), e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }
}
