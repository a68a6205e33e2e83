package callisto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * %maven against a file:// repository built here: lib-a depends on lib-b, and a fake jackson-core stands for an
 * artifact Callisto already ships. No network: settings.xml mirrors everything to that repository.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MavenMagicTest {
    @TempDir
    static Path dir;

    static Engine engine;
    static Path remote, settings, offlineSettings;

    @BeforeAll
    static void start() throws Exception {
        remote = dir.resolve("remote");
        Path b = compile("libb", "B", "package libb; public class B { public static String name() { return \"lib-b\"; } }", null);
        Path a = compile("liba", "A",
                "package liba; public class A { public static String hello() { return \"hello from \" + libb.B.name(); } }", b);
        deploy("test.group", "lib-b", "1.0", b, "");
        deploy("test.group", "lib-a", "1.0", a, dependency("test.group", "lib-b", "1.0"));
        // same artifactId as the jackson-core on the test classpath, another version
        Path u = compile("usesjackson", "U", "package usesjackson; public class U { }", null);
        deploy("com.fasterxml.jackson.core", "jackson-core", "0.1", u, "");
        deploy("test.group", "uses-jackson", "1.0", u, dependency("com.fasterxml.jackson.core", "jackson-core", "0.1"));
        String mirror = "<mirrors><mirror><id>test-repo</id><mirrorOf>*</mirrorOf><url>" + remote.toUri() + "</url></mirror></mirrors>";
        settings = Files.writeString(dir.resolve("settings.xml"), "<settings>" + mirror + "</settings>");
        offlineSettings = Files.writeString(dir.resolve("offline-settings.xml"), "<settings><offline>true</offline>" + mirror + "</settings>");
        engine = Engine.start();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Test
    void resolvesTransitivelyAddsEachJarOnceAndWorksOfflineAfterwards() throws Exception {
        Path local = Files.createDirectories(dir.resolve("local-main"));
        use(settings, local);
        int before = engine.addedClasspath().size();

        var first = run("%maven test.group:lib-a:1.0");
        assertEquals("", first.text("error"));
        assertTrue(first.out().contains("added test.group:lib-a:1.0 ("), first.out());
        assertTrue(first.out().contains("added test.group:lib-b:1.0 ("), first.out());
        assertEquals(before + 2, engine.addedClasspath().size());
        assertTrue(Files.isRegularFile(local.resolve("test/group/lib-b/1.0/lib-b-1.0.jar")), "downloaded to the local repository");

        CellResult r = engine.execute("liba.A.hello()", new Recorder());
        assertNull(r.error(), () -> r.error().plainText());
        assertEquals("hello from lib-b", r.value());

        var again = run("%maven test.group:lib-a:1.0");
        assertEquals("", again.text("error"));
        assertTrue(again.out().lines().noneMatch(l -> l.startsWith("added")), again.out());
        assertTrue(again.out().contains("already on the classpath: test.group:lib-b:1.0"), again.out());
        assertEquals(before + 2, engine.addedClasspath().size());

        var offline = run("%maven --offline test.group:lib-a:1.0");
        assertEquals("", offline.text("error"), "the local repository has it");
        assertTrue(offline.out().contains("already on the classpath: test.group:lib-a:1.0"), offline.out());

        use(offlineSettings, local); // <offline> in settings.xml with the artifact already local: fine too
        assertEquals("", run("%maven test.group:lib-a:1.0").text("error"));
    }

    @Test
    void offlineWithAnEmptyLocalRepositorySaysSo() throws Exception {
        use(settings, Files.createDirectories(dir.resolve("local-empty-1")));
        String error = run("%maven --offline test.group:lib-a:1.0").text("error");
        assertTrue(error.contains("offline (--offline)") && error.contains("test.group:lib-a:1.0"), error);
        assertTrue(error.contains("local-empty-1"), "names the local repository: " + error);

        use(offlineSettings, Files.createDirectories(dir.resolve("local-empty-2")));
        error = run("%maven test.group:lib-a:1.0").text("error");
        assertTrue(error.contains("<offline>true</offline> in " + offlineSettings), error);
    }

    @Test
    void badInputAndMissingArtifactsGiveClearErrors() throws Exception {
        use(settings, Files.createDirectories(dir.resolve("local-errors")));
        String error = run("%maven test.group:lib-a").text("error");
        assertTrue(error.contains("bad coordinate 'test.group:lib-a': expected groupId:artifactId:version"), error);
        assertTrue(run("%maven a::1.0").text("error").contains("bad coordinate 'a::1.0'"));
        assertTrue(run("%maven").text("error").contains("give one or more coordinates"));
        assertTrue(run("%maven --fast test.group:lib-a:1.0").text("error").contains("unknown option --fast"));

        error = run("%maven test.group:no-such-lib:2.0").text("error");
        assertTrue(error.contains("not found: test.group:no-such-lib:2.0"), error);
        assertTrue(error.contains("test-repo (" + remote.toUri().toString().replaceAll("/$", "")), "names the repository: " + error);
    }

    @Test
    void artifactsCallistoShipsAreNotAddedAgain() throws Exception {
        use(settings, Files.createDirectories(dir.resolve("local-provided")));
        var out = run("%maven test.group:uses-jackson:1.0");
        assertEquals("", out.text("error"));
        assertTrue(out.out().contains("provided by Callisto: com.fasterxml.jackson.core:jackson-core:0.1 (Callisto has 2."), out.out());
        assertTrue(engine.addedClasspath().stream().noneMatch(p -> p.contains("jackson-core-0.1")), "not added");
        assertTrue(out.out().contains("test.group:uses-jackson:1.0"), out.out());
    }

    @Test
    void interruptEndsAStalledDownloadAtOnce() throws Exception {
        var stalled = new CountDownLatch(1);
        var server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            stalled.countDown();
            try {
                Thread.sleep(60_000); // a repository that never answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool(r -> Thread.ofPlatform().daemon().unstarted(r)));
        server.start();
        try {
            Path stalling = Files.writeString(dir.resolve("stalling-settings.xml"), "<settings><mirrors><mirror><id>slow</id><mirrorOf>*</mirrorOf><url>http://"
                    + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/</url></mirror></mirrors></settings>");
            use(stalling, Files.createDirectories(dir.resolve("local-stalled")));
            var running = CompletableFuture.supplyAsync(() -> engine.execute("%maven test.group:lib-a:1.0", new Recorder()));
            assertTrue(stalled.await(30, TimeUnit.SECONDS), "the request reached the server");
            long start = System.nanoTime();
            engine.interrupt();
            CellResult r = running.get(10, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals("Interrupted", r.error().ename(), () -> r.error().plainText());
            assertTrue(seconds < 2, "took " + seconds + " s");
            assertEquals(4, engine.execute("2 + 2", new Recorder()).value(), "the session goes on");
        } finally {
            server.stop(0);
        }
    }

    /** Registers %maven over the default one, reading these files. */
    static void use(Path settingsXml, Path localRepository) {
        engine.registerMagic("maven", MavenMagic.SUMMARY, new MavenMagic(settingsXml, localRepository));
    }

    static Recorder run(String code) {
        var out = new Recorder();
        CellResult r = engine.execute(code, out);
        if (r.error() != null) out.stream("error", r.error().ename() + ": " + r.error().evalue());
        return out;
    }

    /** Compiles one class into a folder of its own; {@code classpath} may be null. */
    static Path compile(String pkg, String name, String source, Path classpath) throws IOException {
        Path src = dir.resolve("src/" + pkg + "/" + name + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = dir.resolve("classes-" + pkg);
        var args = new java.util.ArrayList<>(List.of("-d", classes.toString()));
        if (classpath != null) args.addAll(List.of("-cp", classpath.toString()));
        args.add(src.toString());
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)));
        return classes;
    }

    static String dependency(String g, String a, String v) {
        return "<dependencies><dependency><groupId>" + g + "</groupId><artifactId>" + a + "</artifactId><version>" + v
                + "</version></dependency></dependencies>";
    }

    /** Writes the jar (of {@code classes}) and pom, with their .sha1 files, in the repository layout. */
    static void deploy(String g, String a, String v, Path classes, String dependencies) throws Exception {
        Path folder = Files.createDirectories(remote.resolve(g.replace('.', '/')).resolve(a).resolve(v));
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path jar = folder.resolve(a + "-" + v + ".jar");
        try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        Path pom = Files.writeString(folder.resolve(a + "-" + v + ".pom"), "<project><modelVersion>4.0.0</modelVersion><groupId>" + g
                + "</groupId><artifactId>" + a + "</artifactId><version>" + v + "</version>" + dependencies + "</project>");
        for (Path f : List.of(jar, pom)) sha1(f);
    }

    static void sha1(Path file) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(file));
        try (OutputStream out = Files.newOutputStream(Path.of(file + ".sha1"))) {
            out.write(HexFormat.of().formatHex(digest).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
