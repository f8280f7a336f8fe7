package org.foiadiscovery.searchnodes;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts a single-node OpenSearch from the jars on the classpath (no distribution, no plugin directory).
 *
 * <p>Usage: {@code OpenSearchLauncher [--home DIR] [--http-port N] [--transport-port N]
 * [--cluster-name NAME] [--host ADDR] [-Ekey=value ...]}
 *
 * <p>The node runs until the JVM receives SIGTERM/SIGINT, then closes cleanly.
 */
public final class OpenSearchLauncher {

    /** The classpath plugins: what a distribution would load from its modules/ directory. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,          // HTTP + transport
        CommonAnalysisPlugin.class,  // english & other language analyzers, stemmers, ...
        PainlessPlugin.class         // scripts (script_score, runtime sort, ...)
    );

    /** {@link Node} exposes the constructor that takes classpath plugins only to subclasses. */
    static final class ClasspathPluginsNode extends Node {
        ClasspathPluginsNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    private OpenSearchLauncher() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("home", System.getProperty("java.io.tmpdir") + "/foia-search-nodes/opensearch");
        opts.put("http-port", "9200");
        opts.put("transport-port", "9300");
        opts.put("cluster-name", "foia-opensearch");
        opts.put("host", "127.0.0.1");
        Settings.Builder extra = Settings.builder();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-E")) {
                String kv = a.length() > 2 ? a.substring(2) : args[++i];
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("expected -Ekey=value, got " + a);
                extra.put(kv.substring(0, eq), kv.substring(eq + 1));
            } else if (a.startsWith("--") && opts.containsKey(a.substring(2)) && i + 1 < args.length) {
                opts.put(a.substring(2), args[++i]);
            } else {
                System.err.println("usage: OpenSearchLauncher [--home DIR] [--http-port N] [--transport-port N]"
                    + " [--cluster-name NAME] [--host ADDR] [-Ekey=value ...]");
                System.exit(2);
            }
        }

        Path home = Paths.get(opts.get("home")).toAbsolutePath();
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(home.resolve("config"));
        String nodeName = opts.get("cluster-name") + "-node";

        Settings settings = Settings.builder()
            .put("cluster.name", opts.get("cluster-name"))
            .put("node.name", nodeName)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", opts.get("host"))
            .put("http.port", opts.get("http-port"))
            .put("transport.port", opts.get("transport-port"))
            .put("discovery.type", "single-node")
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // a shared dev/CI disk can be fuller than the default 85%/90% watermarks: never block allocation on it
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put(extra.build())
            .build();

        Environment env = InternalSettingsPreparer.prepareEnvironment(
            settings, Collections.emptyMap(), home.resolve("config"), () -> nodeName);
        long t0 = System.nanoTime();
        Node node = new ClasspathPluginsNode(env, PLUGINS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "opensearch-launcher-shutdown"));
        node.start();
        System.out.printf("OpenSearchLauncher: node [%s] started in %d ms, http://%s:%s/%n",
            nodeName, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), opts.get("host"), opts.get("http-port"));
        System.out.flush();
        stopped.await();
    }
}
