package org.foiadiscovery.searchnodes;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.ClasspathPluginsNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts a single-node Elasticsearch 8 from the jars on the classpath (no distribution, no plugin directory).
 *
 * <p>Only the server jar and the transport-netty4 plugin are published for 8.x, so this node has no
 * analysis-common, no painless, no mapper-extras, no reindex. Two small plugins of ours stand in for what
 * the project needs of the missing modules: {@link RootEndpointPlugin} ({@code GET /}) and
 * {@link CommonAnalysisSubsetPlugin} (the {@code english} analyzer, the {@code pattern} tokenizer, the
 * {@code length} and English {@code stemmer} filters; {@code --no-analysis-subset} leaves it out).
 *
 * <p>Usage: {@code ElasticsearchLauncher [--home DIR] [--http-port N] [--transport-port N]
 * [--cluster-name NAME] [--host ADDR] [--no-analysis-subset] [-Ekey=value ...]}
 *
 * <p>The node runs until the JVM receives SIGTERM/SIGINT, then closes cleanly.
 */
public final class ElasticsearchLauncher {

    /** The classpath plugins: what a distribution would load from its modules/ directory. */
    static final List<Class<? extends Plugin>> PLUGINS = List.of(
        Netty4Plugin.class,        // HTTP + transport
        RootEndpointPlugin.class   // GET / and HEAD / (the rest-root module is not published)
    );
    /** What the project uses of the unpublished analysis-common module, rebuilt from Lucene classes. */
    static final Class<? extends Plugin> ANALYSIS_SUBSET = CommonAnalysisSubsetPlugin.class;

    private ElasticsearchLauncher() {}

    public static void main(String[] args) throws Exception {
        // what the distribution's bootstrap does first: route Elasticsearch's logging API to log4j
        LogConfigurator.configureESLogging();
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("home", System.getProperty("java.io.tmpdir") + "/foia-search-nodes/elasticsearch");
        opts.put("http-port", "9201");
        opts.put("transport-port", "9301");
        opts.put("cluster-name", "foia-elasticsearch");
        opts.put("host", "127.0.0.1");
        Settings.Builder extra = Settings.builder();
        boolean analysisSubset = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-E")) {
                String kv = a.length() > 2 ? a.substring(2) : args[++i];
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException("expected -Ekey=value, got " + a);
                extra.put(kv.substring(0, eq), kv.substring(eq + 1));
            } else if (a.equals("--no-analysis-subset")) {
                analysisSubset = false;
            } else if (a.startsWith("--") && opts.containsKey(a.substring(2)) && i + 1 < args.length) {
                opts.put(a.substring(2), args[++i]);
            } else {
                System.err.println("usage: ElasticsearchLauncher [--home DIR] [--http-port N] [--transport-port N]"
                    + " [--cluster-name NAME] [--host ADDR] [--no-analysis-subset] [-Ekey=value ...]");
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
        List<Class<? extends Plugin>> plugins = new ArrayList<>(PLUGINS);
        if (analysisSubset) plugins.add(ANALYSIS_SUBSET);
        Node node = new ClasspathPluginsNode(env, plugins);
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
        }, "elasticsearch-launcher-shutdown"));
        node.start();
        System.out.printf("ElasticsearchLauncher: node [%s] started in %d ms, http://%s:%s/%n",
            nodeName, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), opts.get("host"), opts.get("http-port"));
        System.out.flush();
        stopped.await();
    }
}
