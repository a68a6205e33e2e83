package callisto.engine;

import callisto.runtime.Cancellation;
import eu.maveniverse.maven.mima.context.Context;
import eu.maveniverse.maven.mima.context.ContextOverrides;
import eu.maveniverse.maven.mima.context.Runtimes;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuilder;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.TransferCancelledException;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * {@code %maven [--offline] COORDINATE...}: resolves Maven artifacts with their transitive runtime dependencies
 * (through MIMA, i.e. Maven Resolver configured from the user's {@code ~/.m2/settings.xml}: mirrors, proxies,
 * local repository, {@code <offline>}) and adds their jars to the session's classpath, each once. A coordinate is
 * {@code groupId:artifactId:version}, {@code groupId:artifactId:extension:version} or
 * {@code groupId:artifactId:extension:classifier:version}. Jars of artifacts Callisto itself ships are not added
 * again (the session already sees Callisto's versions); the magic says so.
 *
 * <p>The registered instance uses Maven's defaults, overridden by the system properties
 * {@code callisto.maven.settings} (a settings.xml) and {@code callisto.maven.localRepository}; tests construct
 * one with explicit paths.
 */
final class MavenMagic implements Magic {
    static final String SUMMARY = "%maven [--offline] G:A:V...: add Maven artifacts and their dependencies to the session";
    private static final String FORMS = "groupId:artifactId:version, groupId:artifactId:extension:version"
            + " or groupId:artifactId:extension:classifier:version";

    private final Path settings;
    private final Path localRepository;

    /** Maven's defaults, unless the {@code callisto.maven.*} system properties name other files. */
    MavenMagic() {
        this(pathProperty("callisto.maven.settings"), pathProperty("callisto.maven.localRepository"));
    }

    /**
     * @param settings        the user settings.xml to read instead of {@code ~/.m2/settings.xml}, or null
     * @param localRepository the local repository to use instead of the one settings.xml names, or null
     */
    MavenMagic(Path settings, Path localRepository) {
        this.settings = settings;
        this.localRepository = localRepository;
    }

    private static Path pathProperty(String name) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    @Override
    public void run(String args, String body, Engine.Cell cell) throws Exception {
        boolean offline = false;
        var coordinates = new ArrayList<String>();
        for (String word : args.isBlank() ? new String[0] : args.strip().split("\\s+")) {
            if (word.equals("--offline")) offline = true;
            else if (word.startsWith("-")) throw new IllegalArgumentException("unknown option " + word + "; the only option is --offline");
            else coordinates.add(word);
        }
        if (coordinates.isEmpty()) {
            throw new IllegalArgumentException("give one or more coordinates (" + FORMS
                    + "), e.g. %maven org.apache.commons:commons-math3:3.6.1");
        }
        var artifacts = new ArrayList<Artifact>();
        for (String c : coordinates) artifacts.add(parse(c));

        for (var jar : resolveInterruptibly(new Request(artifacts, offline))) {
            var provided = CallistoClasspath.providing(jar.artifact());
            String name = coordinate(jar.artifact());
            String line;
            if (provided != null) {
                line = "provided by Callisto: " + name + (provided.version().equals(jar.artifact().getVersion()) ? ""
                        : " (Callisto has " + provided.version() + ", which the session keeps)");
            } else if (!jar.file().getFileName().toString().endsWith(".jar")) {
                line = "not a jar, not added: " + name + " (" + jar.file() + ")";
            } else if (cell.engine().addToClasspath(jar.file().toString())) {
                line = "added " + name + " (" + jar.file() + ")";
            } else {
                line = "already on the classpath: " + name;
            }
            cell.sink().stream("stdout", line + "\n");
        }
    }

    /** The coordinate as an artifact; the error shows the accepted forms, which DefaultArtifact's does not name clearly. */
    static Artifact parse(String coordinate) {
        String[] parts = coordinate.split(":", -1);
        boolean ok = parts.length >= 3 && parts.length <= 5;
        for (String p : parts) ok &= !p.isEmpty();
        if (!ok) throw new IllegalArgumentException("bad coordinate '" + coordinate + "': expected " + FORMS);
        return new DefaultArtifact(coordinate);
    }

    /** {@code g:a:v}, with the extension and classifier only where they are not the default. */
    static String coordinate(Artifact a) {
        String middle = a.getClassifier().isEmpty() ? (a.getExtension().equals("jar") ? "" : a.getExtension() + ":")
                : a.getExtension() + ":" + a.getClassifier() + ":";
        return a.getGroupId() + ":" + a.getArtifactId() + ":" + middle + a.getVersion();
    }

    private record Request(List<Artifact> artifacts, boolean offline) {
    }

    /** A resolved artifact and its file in the local repository. */
    private record Resolved(Artifact artifact, Path file) {
    }

    /**
     * Resolves on a worker thread while this (the cell's) thread watches for an interrupt: then the worker is
     * interrupted and its transfers cancelled, and the cell ends at once. The worker closes its Context itself.
     */
    private List<Resolved> resolveInterruptibly(Request request) throws Exception {
        var cancelled = new AtomicBoolean();
        var result = new CompletableFuture<List<Resolved>>();
        Thread worker = Thread.ofPlatform().daemon().name("callisto-maven").start(() -> {
            try {
                result.complete(Resolver.resolve(request, settings, localRepository, cancelled::get));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            while (true) {
                try {
                    return result.get(50, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (Cancellation.isRequested()) throw new InterruptedException();
                }
            }
        } catch (InterruptedException e) {
            cancelled.set(true);
            worker.interrupt();
            // A cancelled transfer ends quickly and the worker closes its Context before the next cell; one
            // blocked in a socket read ends at the resolver's timeout, on its own daemon thread.
            worker.join(250);
            throw new CancellationException("Interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    /** The MIMA side, in its own class so that registering the magic loads none of Maven Resolver. */
    private static final class Resolver {
        static List<Resolved> resolve(Request request, Path settings, Path localRepository, BooleanSupplier cancelled)
                throws Exception {
            var overrides = ContextOverrides.create()
                    .withUserSettings(true) // MIMA ignores settings.xml (mirrors, local repository) unless asked
                    .withUserSettingsXmlOverride(settings)
                    .withLocalRepositoryOverride(localRepository)
                    .transferListener(new AbstractTransferListener() {
                        // Resolver calls these as bytes move: throwing here is its way to cancel a download.
                        @Override
                        public void transferStarted(TransferEvent event) throws TransferCancelledException {
                            check(cancelled);
                        }

                        @Override
                        public void transferProgressed(TransferEvent event) throws TransferCancelledException {
                            check(cancelled);
                        }
                    });
            if (request.offline()) overrides.offline(true);
            try (Context context = Runtimes.INSTANCE.getRuntime().create(overrides.build())) {
                RepositorySystemSession session = context.repositorySystemSession();
                String offlineWhy = request.offline() ? "--offline" : null;
                if (!session.isOffline() && settingsSayOffline(context)) {
                    // MIMA reads <offline> from settings.xml only through its overrides, so apply it here.
                    session = new DefaultRepositorySystemSession(session).setOffline(true);
                    offlineWhy = "<offline>true</offline> in " + context.mavenUserHome().settingsXml();
                }
                if (cancelled.getAsBoolean() || Thread.interrupted()) throw new CancellationException("Interrupted");
                var repositories = context.remoteRepositories(); // with settings.xml's mirrors, proxies and credentials applied
                var dependencies = request.artifacts().stream().map(a -> new Dependency(a, JavaScopes.RUNTIME)).toList();
                var collect = new CollectRequest(dependencies, List.of(), repositories);
                var dependencyRequest = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
                List<ArtifactResult> results;
                try {
                    results = context.repositorySystem().resolveDependencies(session, dependencyRequest).getArtifactResults();
                } catch (DependencyResolutionException e) {
                    if (cancelled.getAsBoolean()) throw new CancellationException("Interrupted");
                    throw explain(e, request, repositories, offlineWhy,
                            session.getLocalRepository().getBasedir().toPath());
                }
                if (cancelled.getAsBoolean() || Thread.interrupted()) throw new CancellationException("Interrupted");
                var out = new ArrayList<Resolved>();
                for (var r : results) out.add(new Resolved(r.getArtifact(), r.getArtifact().getFile().toPath().toAbsolutePath()));
                return out;
            }
        }

        private static void check(BooleanSupplier cancelled) throws TransferCancelledException {
            if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) throw new TransferCancelledException("Interrupted");
        }

        /** Whether the effective settings (user over global, as Maven merges them) say offline. */
        private static boolean settingsSayOffline(Context context) throws Exception {
            var builder = context.lookup().lookup(SettingsBuilder.class).orElse(null);
            if (builder == null) return false;
            var request = new DefaultSettingsBuildingRequest();
            var props = new Properties();
            props.putAll(System.getProperties());
            request.setSystemProperties(props);
            Path user = context.mavenUserHome().settingsXml();
            if (user != null && Files.isRegularFile(user)) request.setUserSettingsFile(user.toFile());
            if (context.mavenSystemHome() != null) {
                Path global = context.mavenSystemHome().settingsXml();
                if (global != null && Files.isRegularFile(global)) request.setGlobalSettingsFile(global.toFile());
            }
            return builder.build(request).getEffectiveSettings().isOffline();
        }

        /** An error that names the artifacts that failed and where they were looked for. */
        private static IllegalArgumentException explain(DependencyResolutionException e, Request request,
                List<RemoteRepository> repositories, String offlineWhy, Path localRepository) {
            // Unresolved artifacts sit in the result, or, when a pom could not be read, deeper in the causes.
            var failed = new ArrayList<ArtifactResult>();
            if (e.getResult() != null) {
                for (var r : e.getResult().getArtifactResults()) if (!r.isResolved()) failed.add(r);
            }
            for (Throwable t = e; t != null && failed.isEmpty(); t = t.getCause()) {
                if (t instanceof ArtifactResolutionException are) {
                    for (var r : are.getResults()) if (!r.isResolved()) failed.add(r);
                }
            }
            Set<String> names = new LinkedHashSet<>();
            boolean allNotFound = !failed.isEmpty();
            for (var r : failed) {
                names.add(coordinate(r.getRequest().getArtifact()));
                allNotFound &= !r.getExceptions().isEmpty()
                        && r.getExceptions().stream().allMatch(x -> x instanceof ArtifactNotFoundException);
            }
            String what = names.isEmpty()
                    ? String.join(" ", request.artifacts().stream().map(MavenMagic::coordinate).toList())
                    : String.join(", ", names);
            String local = "the local repository " + localRepository;
            if (offlineWhy != null) {
                return new IllegalArgumentException("offline (" + offlineWhy + "), and " + what + " is not in " + local
                        + "; resolve it once online to download it");
            }
            var tried = new ArrayList<String>();
            for (var r : repositories) tried.add(r.getId() + " (" + r.getUrl() + ")");
            String where = "repositories tried: " + (tried.isEmpty() ? "none" : String.join(", ", tried)) + ", and " + local;
            if (allNotFound) return new IllegalArgumentException("not found: " + what + "; " + where);
            return new IllegalArgumentException("could not resolve " + what + ": " + rootMessage(e) + "; " + where);
        }

        private static String rootMessage(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) t = t.getCause();
            return t.getMessage() != null ? t.getMessage() : t.toString();
        }
    }

    /**
     * The jars Callisto runs with: {@code java.class.path} and the {@code Class-Path} of its jars' manifests
     * ({@code callisto.jar} lists {@code lib/artifactId-version.jar}). Read once, on first use.
     */
    private static final class CallistoClasspath {
        /** A jar of Callisto's; {@code groupDir} is the folder above {@code artifactId/version/} in a repository layout, or null. */
        record Provided(String artifactId, String version, Path groupDir) {
        }

        private static final Map<String, List<Provided>> BY_ARTIFACT = index();

        /** The jar of Callisto's that stands for {@code a} (the same version when it has one), or null. */
        static Provided providing(Artifact a) {
            Provided any = null;
            for (var p : BY_ARTIFACT.getOrDefault(a.getArtifactId(), List.of())) {
                if (p.groupDir() != null && !p.groupDir().endsWith(a.getGroupId().replace('.', File.separatorChar))) continue;
                String expected = a.getClassifier().isEmpty() ? a.getVersion() : a.getVersion() + "-" + a.getClassifier();
                if (p.version().equals(expected)) return new Provided(p.artifactId(), a.getVersion(), p.groupDir());
                if (any == null) any = p;
            }
            return any;
        }

        private static Map<String, List<Provided>> index() {
            var seen = new LinkedHashSet<Path>();
            for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                if (!entry.isBlank()) addWithManifest(Path.of(entry).toAbsolutePath().normalize(), seen);
            }
            var byArtifact = new TreeMap<String, List<Provided>>();
            for (Path jar : seen) {
                var p = parseName(jar);
                if (p != null) byArtifact.computeIfAbsent(p.artifactId(), k -> new ArrayList<>()).add(p);
            }
            return byArtifact;
        }

        private static void addWithManifest(Path jar, Set<Path> seen) {
            if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar) || !seen.add(jar)) return;
            try (var file = new JarFile(jar.toFile())) {
                var manifest = file.getManifest();
                String cp = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                if (cp == null) return;
                for (String url : cp.strip().split("\\s+")) {
                    // Class-Path entries are URLs relative to the jar's folder (surefire writes absolute file: URLs)
                    URI uri = jar.toUri().resolve(url);
                    if ("file".equals(uri.getScheme())) addWithManifest(Path.of(uri).normalize(), seen);
                }
            } catch (IOException | IllegalArgumentException e) {
                // an unreadable jar or odd entry provides nothing we can name
            }
        }

        /** {@code artifactId-version.jar}: the version starts at the first '-' followed by a digit. */
        private static Provided parseName(Path jar) {
            String name = jar.getFileName().toString();
            name = name.substring(0, name.length() - ".jar".length());
            for (int i = 1; i < name.length() - 1; i++) {
                if (name.charAt(i) == '-' && Character.isDigit(name.charAt(i + 1))) {
                    String artifactId = name.substring(0, i), version = name.substring(i + 1);
                    Path versionDir = jar.getParent(), artifactDir = versionDir == null ? null : versionDir.getParent();
                    boolean layout = artifactDir != null && artifactDir.getFileName() != null
                            && artifactDir.getFileName().toString().equals(artifactId);
                    return new Provided(artifactId, version, layout ? artifactDir.getParent() : null);
                }
            }
            return null;
        }
    }
}
