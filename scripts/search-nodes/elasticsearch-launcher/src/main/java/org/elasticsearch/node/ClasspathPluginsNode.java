package org.elasticsearch.node;

import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.MockPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

import java.util.Collection;
import java.util.List;

/**
 * An Elasticsearch 8 {@link Node} whose plugins are classes on the classpath instead of bundles under
 * modules/ and plugins/.
 *
 * <p>In 8.19 the only public {@code Node} constructor takes a {@link PluginsLoader} that reads plugin
 * bundles from disk; the constructor taking a prepared {@link NodeConstruction} and the
 * {@link NodeServiceProvider} hook are package-private. This class lives in {@code org.elasticsearch.node}
 * (a split package is fine on the class path) to reach them, the way the test framework's
 * {@code MockNode} does, but without going through {@code ESTestCase} (whose static initializer
 * sets up random seeds, jar-hell checks and the test entitlements bootstrap, which a long-running server
 * does not want).
 */
public class ClasspathPluginsNode extends Node {

    public ClasspathPluginsNode(Environment environment, Collection<Class<? extends Plugin>> classpathPlugins) {
        super(NodeConstruction.prepareConstruction(environment, null, serviceProvider(classpathPlugins), true));
    }

    private static NodeServiceProvider serviceProvider(Collection<Class<? extends Plugin>> classpathPlugins) {
        List<Class<? extends Plugin>> plugins = List.copyOf(classpathPlugins);
        return new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, PluginsLoader pluginsLoader) {
                return new MockPluginsService(env.settings(), env, plugins);
            }
        };
    }
}
